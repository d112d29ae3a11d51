"""The same four calls as coroutines on one event loop: each awaits its response, one thread runs them all."""
import asyncio


async def call(n):
    print(f"call {n}: request sent, waiting for the response")
    await asyncio.sleep(1)
    print(f"call {n}: response received")


async def main():
    await asyncio.gather(*(call(n) for n in range(1, 5)))


asyncio.run(main())
