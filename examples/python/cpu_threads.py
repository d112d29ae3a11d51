"""The sum of 1..100 in four chunks, each in a thread of its own. Only the thread holding the
global interpreter lock (GIL) runs Python code, so the threads take turns on one core."""
import threading


def cost(n):
    x = n
    for _ in range(300_000):
        x = (x * 31 + 7) % 1_000_003
    return n


def chunk_sum(i, chunk):
    partial = sum(cost(n) for n in chunk)
    print(f"chunk {i} ({chunk[0]}..{chunk[-1]}): partial sum {partial}")
    partials.append(partial)


chunks = [range(1, 26), range(26, 51), range(51, 76), range(76, 101)]
partials = []
threads = [threading.Thread(target=chunk_sum, args=(i, c)) for i, c in enumerate(chunks, 1)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"total {sum(partials)}")
