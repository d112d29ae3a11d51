"""The same four calls, each in a thread of its own: while one waits, the others wait too."""
import threading
import time


def call(n):
    print(f"call {n}: request sent, waiting for the response")
    time.sleep(1)
    print(f"call {n}: response received")


threads = [threading.Thread(target=call, args=(n,)) for n in range(1, 5)]
for t in threads:
    t.start()
for t in threads:
    t.join()
