"""Four API calls, one after another: each sends its request, then waits 1 s for the response."""
import time


def call(n):
    print(f"call {n}: request sent, waiting for the response")
    time.sleep(1)  # stands in for the server's answer
    print(f"call {n}: response received")


for n in range(1, 5):
    call(n)
