"""The sum of 1..100 in four chunks, one chunk after another. Each number costs some pure-Python
computation (some 300,000 steps), so the work shows on the cores."""


def cost(n):
    x = n
    for _ in range(300_000):
        x = (x * 31 + 7) % 1_000_003
    return n


def chunk_sum(chunk):
    return sum(cost(n) for n in chunk)


chunks = [range(1, 26), range(26, 51), range(51, 76), range(76, 101)]
partials = []
for i, chunk in enumerate(chunks, 1):
    partials.append(chunk_sum(chunk))
    print(f"chunk {i} ({chunk[0]}..{chunk[-1]}): partial sum {partials[-1]}")
print(f"total {sum(partials)}")
