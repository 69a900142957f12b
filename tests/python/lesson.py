"""A small asyncio program for `asyncscope trace-py` tests (run it with `--lab`): the
lesson's three moves on the lab server at $ASYNCSCOPE_LAB_URL.

1. ten requests at once with asyncio.gather: they overlap;
2. a time.sleep inside a coroutine: the loop stops for it;
3. the same sleep through run_in_executor: the loop stays free.
"""

import asyncio
import os
import time
from urllib.parse import urlsplit

URL = urlsplit(os.environ["ASYNCSCOPE_LAB_URL"])


async def fetch(path):
    reader, writer = await asyncio.open_connection(URL.hostname, URL.port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {URL.netloc}\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    answer = await reader.read()
    writer.close()
    return int(answer.split()[1])


def crunch():
    time.sleep(0.2)
    return 42


async def ticker():
    for _ in range(8):
        await asyncio.sleep(0.05)


async def main():
    statuses = await asyncio.gather(*(fetch("/items?ms=100") for _ in range(10)))
    print("statuses", statuses)
    time.sleep(0.3)  # the misuse: blocks the loop
    tick = asyncio.create_task(ticker(), name="ticker")
    n = await asyncio.get_running_loop().run_in_executor(None, crunch)
    print("crunched", n)
    await tick


asyncio.run(main())
