// Every HandlerStub<Name> method instantiated (an explicit instantiation
// instantiates each member) against a transport that only has the shape
// k42::LeasedTransport asks for, plus send() for one-way methods.
#include HANDLER_HEADER

namespace {

struct FakeTransport {
  class Lease {
  public:
    explicit Lease(FakeTransport &Via) : Via(Via) {}
    bool held() const { return true; }
    k42::CallBuffers &buffers() { return Via.Buffers; }
    k42::BulkWindow bulk() { return {}; }
    k42::Status call(const k42::ObjectHandle &) { return k42::Status::ok(); }
    k42::Status send(const k42::ObjectHandle &) { return k42::Status::ok(); }

  private:
    FakeTransport &Via;
  };
  k42::CallBuffers Buffers;
};

static_assert(k42::LeasedTransport<FakeTransport>);

} // namespace

template class HANDLER_STUB<FakeTransport>;
