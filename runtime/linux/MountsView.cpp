//===- runtime/linux/MountsView.cpp - The mount table a program reads -----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "k42/personality/MountsView.h"

#include "k42/personality/DevFd.h"
#include "k42/personality/FsBridge.h"
#include "k42/personality/GateHeap.h"
#include "k42/personality/HostCall.h"
#include "k42/personality/HostFolder.h"
#include "k42/personality/OwnMemfd.h"
#include "k42/personality/ProcNames.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <initializer_list>
#include <new>
#include <string_view>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

using namespace k42::personality;

namespace {

using Text = std::string_view;

/// \p T from \p From on, at most \p N bytes: std::string_view::substr
/// without its exception (the personality has no C++ runtime).
Text slice(Text T, size_t From, size_t N = Text::npos) {
  if (From > T.size())
    From = T.size();
  size_t Left = T.size() - From;
  return Text(T.data() + From, N < Left ? N : Left);
}

/// One line of a table; every path and name as mountinfo spells it
/// (escaped).
struct Entry {
  uint64_t Id = 0;
  uint64_t Parent = 0;
  Text MajorMinor, Root, Point, Options, Optional, FsType, Source, Super;
  unsigned Depth = 0;
};

/// Bytes handed out in order: the composition's own strings (GateHeap),
/// and the text it writes (the caller's buffer). full() once something
/// did not fit.
class Arena {
public:
  Arena(char *Base, size_t Capacity) : Base(Base), Capacity(Capacity) {}
  bool full() const { return Overflow; }
  /// The bytes handed out so far.
  size_t size() const { return Used; }
  /// Room for \p N bytes, or null (and full()) when there is none.
  char *take(size_t N) {
    if (Overflow || Capacity - Used < N) {
      Overflow = true;
      return nullptr;
    }
    char *At = Base + Used;
    Used += N;
    return At;
  }
  /// \p Parts, one after the other.
  Text join(std::initializer_list<Text> Parts) {
    size_t N = 0;
    for (Text P : Parts)
      N += P.size();
    char *At = take(N);
    if (!At)
      return {};
    char *End = At;
    for (Text P : Parts) {
      std::memcpy(End, P.data(), P.size());
      End += P.size();
    }
    return Text(At, N);
  }
  /// \p Raw as mountinfo spells a name: space, tab, newline and backslash
  /// in octal (the kernel's seq_escape).
  Text escape(Text Raw) {
    size_t N = 0;
    for (char C : Raw)
      N += special(C) ? 4 : 1;
    char *At = take(N);
    if (!At)
      return {};
    char *End = At;
    for (char C : Raw) {
      if (!special(C)) {
        *End++ = C;
        continue;
      }
      unsigned char U = static_cast<unsigned char>(C);
      *End++ = '\\';
      *End++ = char('0' + (U >> 6));
      *End++ = char('0' + ((U >> 3) & 7));
      *End++ = char('0' + (U & 7));
    }
    return Text(At, N);
  }
  Text decimal(uint64_t V) {
    char Digits[24];
    return join({Text(Digits, size_t(putDecimal(Digits, V) - Digits))});
  }
  /// Appends \p T.
  void put(Text T) { (void)join({T}); }
  /// Appends \p V in decimal.
  void put(uint64_t V) { (void)decimal(V); }
  /// Appends \p Fields, a space between each two.
  void words(std::initializer_list<Text> Fields) {
    bool First = true;
    for (Text F : Fields) {
      if (!First)
        put(" ");
      put(F);
      First = false;
    }
  }

private:
  static bool special(char C) {
    return C == ' ' || C == '\t' || C == '\n' || C == '\\';
  }
  char *Base;
  size_t Capacity;
  size_t Used = 0;
  bool Overflow = false;
};

/// Whether \p Path is \p Prefix or below it (component-wise: "/" is a
/// prefix of everything, "/us" is not one of "/usr").
bool within(Text Path, Text Prefix) {
  if (Prefix == "/")
    return true;
  return Path.starts_with(Prefix) &&
         (Path.size() == Prefix.size() || Path[Prefix.size()] == '/');
}

/// What is left of \p Path below \p Prefix (within() holds): "" or
/// "/rest".
Text below(Text Path, Text Prefix) {
  return Prefix == "/" ? (Path == "/" ? Text() : Path)
                       : slice(Path, Prefix.size());
}

/// \p Base with \p Rest ("" or "/rest") under it.
Text under(Arena &A, Text Base, Text Rest) {
  if (Rest.empty())
    return Base;
  return Base == "/" ? Rest : A.join({Base, Rest});
}

unsigned depth(Text Point) {
  if (Point == "/")
    return 0;
  unsigned D = 0;
  for (char C : Point)
    D += C == '/';
  return D;
}

/// The next space-separated field of \p Line (moved past it).
Text field(Text &Line) {
  size_t Space = Line.find(' ');
  Text F = slice(Line, 0, Space);
  Line = Space == Text::npos ? Text() : slice(Line, Space + 1);
  return F;
}

uint64_t number(Text T, bool &Ok) {
  uint64_t V = 0;
  Ok = !T.empty();
  for (char C : T) {
    if (C < '0' || C > '9') {
      Ok = false;
      return 0;
    }
    V = V * 10 + uint64_t(C - '0');
  }
  return V;
}

/// One line of the host's mountinfo; false if it is not one.
bool parseLine(Text Line, Entry &E) {
  bool IdOk, ParentOk;
  E.Id = number(field(Line), IdOk);
  E.Parent = number(field(Line), ParentOk);
  E.MajorMinor = field(Line);
  E.Root = field(Line);
  E.Point = field(Line);
  E.Options = field(Line);
  size_t Dash = Line.starts_with("- ") ? 0 : Line.find(" - ");
  if (!IdOk || !ParentOk || E.Point.empty() || E.Point[0] != '/' ||
      Dash == Text::npos)
    return false;
  E.Optional = slice(Line, 0, Dash);
  Line = slice(Line, Dash == 0 ? 2 : Dash + 3);
  E.FsType = field(Line);
  E.Source = field(Line);
  E.Super = Line;
  return !E.FsType.empty();
}

/// Whether \p Escaped is \p Raw as mountinfo spells it (Arena::escape).
bool spells(Text Escaped, const char *Raw) {
  size_t At = 0;
  for (; *Raw; ++Raw) {
    unsigned char U = static_cast<unsigned char>(*Raw);
    bool Special = U == ' ' || U == '\t' || U == '\n' || U == '\\';
    if (!Special) {
      if (At == Escaped.size() || Escaped[At++] != *Raw)
        return false;
      continue;
    }
    const char Code[4] = {'\\', char('0' + (U >> 6)),
                          char('0' + ((U >> 3) & 7)), char('0' + (U & 7))};
    if (slice(Escaped, At, 4) != Text(Code, 4))
      return false;
    At += 4;
  }
  return At == Escaped.size();
}

/// \p Options with its leading "rw" made "ro".
Text readOnly(Arena &A, Text Options) {
  if (Options.starts_with("rw") && (Options.size() == 2 || Options[2] == ','))
    return A.join({"ro", slice(Options, 2)});
  return Options;
}

/// The entries: the host's parsed into \p Host, then the table's into
/// \p Out (at most \p Max each). False when they do not fit.
class Builder {
public:
  Builder(const MountsView::Inputs &In, Arena &A, Entry *Host, unsigned HostMax,
          Entry *Out, unsigned OutMax)
      : In(In), A(A), Host(Host), HostMax(HostMax), Out(Out), OutMax(OutMax) {}

  bool build() {
    if (In.NumMounts > MaxK42 || !parseHost())
      return false;
    for (unsigned I = 0; I < In.NumMounts; ++I) {
      Points[I] = A.escape(In.Mounts[I].Path);
      if (In.Mounts[I].HostDir)
        Dirs[I] = A.escape(In.Mounts[I].HostDir);
    }
    uint64_t NextId = MountsView::FirstId;
    // K42's root first, then the rest of its table (longest path first:
    // the order does not matter, depth sorts them).
    for (unsigned Pass = 0; Pass < 2; ++Pass)
      for (unsigned I = 0; I < In.NumMounts; ++I) {
        const MountsView::K42Mount &M = In.Mounts[I];
        if ((Pass == 0) != (Text(M.Path) == "/"))
          continue;
        if (!addK42(M, Points[I], Dirs[I], NextId++))
          return false;
      }
    // The host's folders at its root that K42 paths reach: binds of their
    // file system, unless the host mounted something there itself.
    for (unsigned I = 0; I < In.NumHostTops; ++I) {
      Text Point = A.join({"/", A.escape(In.HostTops[I])});
      if (mountedAt(Point))
        continue;
      const Entry *On = containing(Point);
      if (!On)
        continue;
      Entry E = *On;
      E.Id = NextId++;
      E.Root = under(A, On->Root, below(Point, On->Point));
      E.Point = Point;
      E.Optional = {};
      if (!add(E))
        return false;
    }
    // The host's own mounts a K42 path reaches, where it reaches them.
    for (unsigned I = 0; I < NumHost; ++I)
      if (!addHost(Host[I]))
        return false;
    return !A.full();
  }

  unsigned size() const { return NumOut; }

private:
  bool parseHost() {
    Text Info(In.HostInfo, In.HostInfoBytes);
    while (!Info.empty()) {
      size_t End = Info.find('\n');
      Text Line = slice(Info, 0, End);
      Info = End == Text::npos ? Text() : slice(Info, End + 1);
      Entry E;
      if (!parseLine(Line, E))
        continue;
      if (NumHost == HostMax)
        return false;
      new (&Host[NumHost++]) Entry(E);
    }
    return true;
  }

  bool add(Entry E) {
    if (NumOut == OutMax || A.full())
      return false;
    E.Depth = depth(E.Point);
    new (&Out[NumOut++]) Entry(E);
    return true;
  }

  /// Whether the host mounted something at \p Point.
  bool mountedAt(Text Point) const {
    for (unsigned I = 0; I < NumHost; ++I)
      if (Host[I].Point == Point)
        return true;
    return false;
  }

  /// The host mount \p Point is on: the last at the longest prefix.
  const Entry *containing(Text Point) const {
    const Entry *Best = nullptr;
    for (unsigned I = 0; I < NumHost; ++I)
      if (within(Point, Host[I].Point) &&
          (!Best || Host[I].Point.size() >= Best->Point.size()))
        Best = &Host[I];
    return Best;
  }

  bool addK42(const MountsView::K42Mount &M, Text Point, Text Dir,
              uint64_t Id) {
    if (M.HostDir) {
      // A bind of the host file system the directory is on.
      const Entry *On = containing(Dir);
      if (!On)
        return true;
      Entry E = *On;
      E.Id = Id;
      E.Root = under(A, On->Root, below(Dir, On->Point));
      E.Point = Point;
      E.Optional = {};
      if (M.ReadOnly)
        E.Options = readOnly(A, On->Options);
      return add(E);
    }
    Entry E;
    E.Id = Id;
    E.MajorMinor = A.join({A.decimal(M.Major), ":", A.decimal(M.Minor)});
    E.Root = "/";
    E.Point = Point;
    E.Options = M.ReadOnly ? "ro" : "rw";
    E.FsType = A.escape(M.FsType ? M.FsType : "k42");
    E.Source = A.join({"k42:", A.escape(M.Object ? M.Object : "")});
    E.Super = E.Options;
    return add(E);
  }

  bool addHost(const Entry &H) {
    if (H.Point == "/")
      return true; // K42's root is not the host's
    Text Top = slice(H.Point, 1, H.Point.find('/', 1) - 1);
    for (unsigned I = 0; I < In.NumHostTops; ++I)
      if (spells(Top, In.HostTops[I]))
        return add(H);
    // Below the host directory of a mount of K42's table (not at it: the
    // mount is that directory's bind, above).
    for (unsigned I = 0; I < In.NumMounts; ++I) {
      if (!In.Mounts[I].HostDir || !within(H.Point, Dirs[I]) ||
          H.Point == Dirs[I])
        continue;
      Entry E = H;
      E.Point = under(A, Points[I], below(H.Point, Dirs[I]));
      if (!add(E))
        return false;
    }
    return true;
  }

  /// Mounts of K42's table compose() takes.
  static constexpr unsigned MaxK42 = 64;

  const MountsView::Inputs &In;
  Arena &A;
  /// Each mount's path and host directory, escaped.
  Text Points[MaxK42];
  Text Dirs[MaxK42];
  Entry *Host;
  unsigned HostMax;
  Entry *Out;
  unsigned OutMax;
  unsigned NumHost = 0;
  unsigned NumOut = 0;
};

/// mounts' option list: the mount's own, then the super block's past its
/// "rw" or "ro" (the kernel's show_vfsmnt).
void putOptions(Arena &W, const Entry &E) {
  W.put(E.Options);
  Text Super = E.Super;
  Text First = slice(Super, 0, Super.find(','));
  if (First == "rw" || First == "ro")
    Super = Super.size() > 2 ? slice(Super, 3) : Text();
  if (!Super.empty()) {
    W.put(",");
    W.put(Super);
  }
}

/// The name mountinfo gives a file system type statfs answers for a
/// mount K42 serves.
const char *typeName(int64_t Magic) {
  switch (uint64_t(Magic) & 0xffffffffu) {
  case 0x858458f6u:
    return "ramfs";
  case 0x01021994u:
    return "tmpfs";
  case 0xef53u:
    return "ext4";
  default:
    return "k42";
  }
}

/// Host major and minor of dev_t \p Dev (glibc's gnu_dev_major/minor).
unsigned majorOf(uint64_t Dev) {
  return unsigned(((Dev >> 8) & 0xfff) | ((Dev >> 32) & ~0xfffull));
}
unsigned minorOf(uint64_t Dev) {
  return unsigned((Dev & 0xff) | ((Dev >> 12) & ~0xffull));
}

/// What open() gathers, in one GateHeap block each part.
struct Gathered {
  static constexpr unsigned MaxMounts = 64;
  static constexpr unsigned MaxTops = 256;
  explicit Gathered(char *Room, size_t Capacity) : Strings(Room, Capacity) {}
  MountsView::K42Mount Mounts[MaxMounts];
  unsigned NumMounts = 0;
  const char *Tops[MaxTops];
  unsigned NumTops = 0;
  /// Where the copies of the names live (full() once one did not fit).
  Arena Strings;

  /// A copy of \p S (null stays null).
  const char *keep(const char *S) {
    if (!S)
      return nullptr;
    size_t N = std::strlen(S) + 1;
    char *At = Strings.take(N);
    if (!At)
      return "";
    std::memcpy(At, S, N);
    return At;
  }
};

/// Frees GateHeap blocks on every way out.
struct Blocks {
  void *Block[6] = {};
  unsigned N = 0;
  template <typename T> T *take(size_t Bytes) {
    void *P = GateHeap::allocate(Bytes);
    if (P)
      Block[N++] = P;
    return static_cast<T *>(P);
  }
  ~Blocks() {
    for (unsigned I = 0; I < N; ++I)
      GateHeap::release(Block[I]);
  }
};

/// Whether this process lives in its K42 system's own pid namespace,
/// whose init is the K42 kernel (read once: a process never changes its
/// pid namespace).
bool systemsNamespace() {
  static std::atomic<int> Known{-1};
  int K = Known.load(std::memory_order_relaxed);
  if (K >= 0)
    return K;
  char Name[32] = {};
  long N = readHostFile("/proc/1/comm", Name, sizeof(Name) - 1);
  K = N > 0 && std::strcmp(Name, "k42-kernel\n") == 0;
  Known.store(K, std::memory_order_relaxed);
  return K;
}

} // namespace

bool MountsView::names(const char *Path, long Pid, Format &Which) {
  if (std::strcmp(Path, "/proc/mounts") == 0) {
    Which = Format::Mounts;
    return true;
  }
  if (const char *Rest = DevFd::ownLink(Path, Pid, "mounts"); Rest && !*Rest) {
    Which = Format::Mounts;
    return true;
  }
  if (const char *Rest = DevFd::ownLink(Path, Pid, "mountinfo");
      Rest && !*Rest) {
    Which = Format::MountInfo;
    return true;
  }
  // Another process's, where every process the host's /proc shows is the
  // system's (its pid namespace: pid 1 is the K42 kernel): the same name
  // space, so the same table.
  const char *P = Path;
  if (std::strncmp(P, "/proc/", 6) != 0 || !(P[6] >= '1' && P[6] <= '9'))
    return false;
  for (P += 6; *P >= '0' && *P <= '9'; ++P) {
  }
  bool Mounts = std::strcmp(P, "/mounts") == 0;
  if (!Mounts && std::strcmp(P, "/mountinfo") != 0)
    return false;
  if (!systemsNamespace())
    return false;
  Which = Mounts ? Format::Mounts : Format::MountInfo;
  return true;
}

long MountsView::compose(const Inputs &In, Format Which, char *Out,
                         size_t Capacity) {
  // Room for every host line (the last may have no newline), each shown
  // at most once and once more below each mount, K42's lines, and their
  // strings.
  size_t HostLines = 1;
  for (size_t I = 0; I < In.HostInfoBytes; ++I)
    HostLines += In.HostInfo[I] == '\n';
  size_t Lines = HostLines * (1 + In.NumMounts) + In.NumMounts + In.NumHostTops;
  Blocks Heap;
  auto *Host = Heap.take<Entry>(HostLines * sizeof(Entry));
  auto *Entries = Heap.take<Entry>(Lines * sizeof(Entry));
  size_t StringBytes = 4 * In.HostInfoBytes + 65536;
  auto *Strings = Heap.take<char>(StringBytes);
  if (!Host || !Entries || !Strings)
    return -ENOMEM;
  Arena A(Strings, StringBytes);
  Builder B(In, A, Host, unsigned(HostLines), Entries, unsigned(Lines));
  if (!B.build())
    return -ENOMEM;
  unsigned N = B.size();
  // By depth, stable: a parent before its children, the host's order kept
  // among mounts at one depth (one over another at the same point).
  unsigned *Order = Heap.take<unsigned>(N * sizeof(unsigned) + 1);
  if (!Order)
    return -ENOMEM;
  for (unsigned I = 0; I < N; ++I) {
    unsigned J = I;
    for (; J > 0 && Entries[Order[J - 1]].Depth > Entries[I].Depth; --J)
      Order[J] = Order[J - 1];
    Order[J] = I;
  }
  Arena W(Out, Capacity);
  for (unsigned K = 0; K < N; ++K) {
    Entry &E = Entries[Order[K]];
    // The parent: the last mount before this one at a prefix of its path
    // (the root is its own).
    E.Parent = E.Id;
    size_t Best = 0;
    for (unsigned P = 0; P < K; ++P) {
      const Entry &C = Entries[Order[P]];
      if (within(E.Point, C.Point) && C.Point.size() >= Best) {
        Best = C.Point.size();
        E.Parent = C.Id;
      }
    }
    if (Which == Format::Mounts) {
      W.words({E.Source, E.Point, E.FsType});
      W.put(" ");
      putOptions(W, E);
      W.put(" 0 0\n");
      continue;
    }
    W.put(E.Id);
    W.put(" ");
    W.put(E.Parent);
    W.put(" ");
    W.words({E.MajorMinor, E.Root, E.Point, E.Options});
    if (!E.Optional.empty()) {
      W.put(" ");
      W.put(E.Optional);
    }
    W.put(" - ");
    W.words({E.FsType, E.Source, E.Super});
    W.put("\n");
  }
  return W.full() ? -ENOMEM : long(W.size());
}

long MountsView::open(Format Which, long Flags) {
  constexpr size_t InfoBytes = 1 << 20;
  Blocks Heap;
  constexpr size_t StringBytes = 65536;
  char *Info = Heap.take<char>(InfoBytes);
  auto *G = Heap.take<Gathered>(sizeof(Gathered));
  char *Strings = Heap.take<char>(StringBytes);
  if (!Info || !G || !Strings)
    return -ENOMEM;
  new (G) Gathered(Strings, StringBytes);
  long InfoLength = readHostFile("/proc/self/mountinfo", Info, InfoBytes);
  if (InfoLength < 0)
    return InfoLength;
  // K42's table, copied under FsBridge's lock; each mount that is not a
  // host directory's asked its device and type after.
  if (!FsBridge::listMounts(
          [](void *Context, const FsBridge::MountView &M) {
            auto &G = *static_cast<Gathered *>(Context);
            if (G.NumMounts == Gathered::MaxMounts)
              return;
            G.Mounts[G.NumMounts++] = {G.keep(M.Path),
                                       G.keep(M.Object),
                                       M.ReadOnly,
                                       G.keep(M.HostDir),
                                       0,
                                       0,
                                       nullptr};
          },
          G))
    return -EIO;
  for (unsigned I = 0; I < G->NumMounts; ++I) {
    MountsView::K42Mount &M = G->Mounts[I];
    if (M.HostDir)
      continue;
    fs::FileAttr Attr;
    fs::FsInfo Fs;
    if (FsBridge::stat(M.Path, true, Attr) == 0) {
      M.Major = majorOf(Attr.Dev);
      M.Minor = minorOf(Attr.Dev);
    }
    M.FsType = FsBridge::statfs(M.Path, Fs) == 0 ? typeName(Fs.Type) : "k42";
  }
  // The host's folders at its root that K42's root does not have.
  char Top[300];
  forEachHostEntry("/", [&](long Dir, const char *Name) {
    size_t N = std::strlen(Name);
    struct stat St;
    if (G->NumTops == Gathered::MaxTops || N + 2 > sizeof(Top) ||
        hostCall(SYS_newfstatat, Dir, reinterpret_cast<long>(Name),
                 reinterpret_cast<long>(&St), AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISDIR(St.st_mode))
      return;
    Top[0] = '/';
    std::memcpy(Top + 1, Name, N + 1);
    if (!FsBridge::isK42Path(Top))
      G->Tops[G->NumTops++] = G->keep(Name);
  });
  if (G->Strings.full())
    return -ENOMEM;
  Inputs In{Info,    size_t(InfoLength), G->Mounts, G->NumMounts,
            G->Tops, G->NumTops};
  size_t OutBytes = 2 * size_t(InfoLength) + 65536;
  char *Out = Heap.take<char>(OutBytes);
  if (!Out)
    return -ENOMEM;
  long Length = compose(In, Which, Out, OutBytes);
  if (Length < 0)
    return Length;
  return OwnMemfd::readOnlyFile(Which == Format::Mounts ? "k42-mounts"
                                                        : "k42-mountinfo",
                                Out, size_t(Length), Flags);
}
