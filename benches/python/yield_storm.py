"""The asyncio capture bench's worst case (as in shared/FACTS.md): 20 000 tasks, each
awaiting asyncio.sleep(0) ten times: 220 000 steps and as many wakes, no I/O."""

import asyncio

TASKS, YIELDS = 20_000, 10


async def worker():
    for _ in range(YIELDS):
        await asyncio.sleep(0)


async def main():
    await asyncio.gather(*(worker() for _ in range(TASKS)))


asyncio.run(main())
