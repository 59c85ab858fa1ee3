# mp-manager.py: a Python multiprocessing Manager, whose server listens on
# an AF_UNIX socket named in the temporary folder (/tmp: K42's under the
# personality) and unlinks that name when it stops.
import multiprocessing as mp

if __name__ == "__main__":
    with mp.Manager() as m:
        d = m.dict()
        d["a"] = 1
        items = m.list([1, 2])
        items.append(3)
        print("manager", dict(d), list(items))
