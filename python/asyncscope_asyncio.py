#!/usr/bin/env python3
"""asyncscope's asyncio runner: runs a validated scenario (JSON on stdin) on CPython's own
event loop against the lab server (its URL is the first argument), and writes what the loop
does to stdout, one event per line: `THREAD NS KIND ARGS...` (THREAD is the thread's ident,
NS nanoseconds from the start, texts JSON strings). Standard library only; Python 3.11+.

How the loop is seen (checked on CPython 3.11, see shared/FACTS.md):
- every task is a subclass of the pure-Python task, whose `_Task__step` is one step of its
  coroutine: the line `P` before it and `E` after it bound a poll, and `D` inside it says
  the task finished in that step;
- the loop's `call_soon` schedules every wake-up of a task (`_Task__wakeup` or
  `_Task__step` bound to the task): the line `W`, on the thread that scheduled it, while
  whatever ran there was running;
- the selector's `select` with a timeout is the loop asleep: `PK` and `UP` around it;
- the default executor's jobs: `BS` where they are submitted, `BB`/`BE`/`D` on their thread.
"""

import asyncio
import asyncio.tasks
import concurrent.futures
import json
import os
import selectors
import sys
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

T0 = time.perf_counter_ns()
OUT = []
LOCK = threading.Lock()
# Lines are handed over at least this often (ns), so that a run that is stopped (the
# process killed) keeps what happened before, and a long step does not hide its start.
FLUSH_NS = 20_000_000
_last_flush = [T0]


def emit(kind, *args):
    """One event of the calling thread, now."""
    emit_at(threading.get_ident(), time.perf_counter_ns() - T0, kind, *args)


def emit_at(thread, ts_ns, kind, *args):
    """One event of `thread` (an ident, or another process's id) at `ts_ns`."""
    line = f"{thread} {ts_ns} {kind}"
    if args:
        line += " " + " ".join(str(a) for a in args)
    with LOCK:
        OUT.append(line)
        if len(OUT) >= 2048 or T0 + ts_ns - _last_flush[0] > FLUSH_NS:
            flush()


def flush():
    """Writes the lines gathered so far (call with LOCK held)."""
    if OUT:
        sys.stdout.write("\n".join(OUT) + "\n")
        sys.stdout.flush()
        OUT.clear()
    _last_flush[0] = time.perf_counter_ns()


def flush_now():
    """Hands the lines over before the thread stops writing for a while (a blocking step,
    the loop going to sleep)."""
    with LOCK:
        flush()


def text(s):
    return json.dumps(s, ensure_ascii=False)


_ids = iter(range(1, 1 << 62))


class Task(asyncio.tasks._PyTask):  # noqa: the pure-Python task, whose steps we can see
    """A task whose every step is recorded."""

    def __init__(self, coro, *, loop=None, name=None, context=None):
        self.asyncscope_id = next(_ids)
        emit("S", self.asyncscope_id, text(where(coro)))
        if name is not None:
            emit("N", self.asyncscope_id, text(name))
        super().__init__(coro, loop=loop, name=name, context=context)

    def set_name(self, value):
        # create_task names a task from a factory after making it.
        super().set_name(value)
        emit("N", self.asyncscope_id, text(str(value)))

    def _Task__step(self, exc=None):
        emit("P", self.asyncscope_id)
        try:
            super()._Task__step(exc)
        finally:
            if self.done():
                emit("D", self.asyncscope_id)
            emit("E", self.asyncscope_id)


def where(coro):
    code = getattr(coro, "cr_code", None)
    if code is None:
        return "asyncio"
    return f"{code.co_filename.rsplit('/', 1)[-1]}:{code.co_firstlineno}"


def task_factory(loop, coro, **kwargs):
    return Task(coro, loop=loop, **kwargs)


class Selector(selectors.DefaultSelector):
    """The loop's selector: a wait with a timeout is the loop asleep."""

    def select(self, timeout=None):
        if timeout is not None and timeout <= 0:
            return super().select(timeout)
        emit("PK")
        flush_now()
        try:
            return super().select(timeout)
        finally:
            emit("UP")


class Loop(asyncio.SelectorEventLoop):
    """The event loop, whose scheduling of a task's wake-up is recorded."""

    def __init__(self):
        super().__init__(Selector())

    def call_soon(self, callback, *args, context=None):
        task = getattr(callback, "__self__", None)
        if isinstance(task, Task):
            emit("W", task.asyncscope_id)
        return super().call_soon(callback, *args, context=context)


class Run:
    def __init__(self, scenario, base_url):
        self.sc = scenario
        url = urlsplit(base_url)
        self.host, self.port = url.hostname, url.port
        self.semaphores = {n: asyncio.Semaphore(p) for n, p in scenario["semaphores"].items()}
        self.executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=scenario["max_blocking_threads"], thread_name_prefix="executor"
        )
        self.base_url = base_url
        self.next_request = 0
        self.next_job = 1 << 40
        # A process pool sized to the cores: threads would share the GIL with the loop. Its
        # processes are started here, before the loop runs, so that no step pays for them.
        self.cpu_pool = None
        if scenario["uses_cpu_pool"]:
            n = scenario["cpu_threads"]
            self.cpu_pool = concurrent.futures.ProcessPoolExecutor(max_workers=n)
            for f in [self.cpu_pool.submit(os.getpid) for _ in range(n)]:
                f.result()
        self.next_cpu_job = 1 << 48
        self.channels = {
            name: (c["id"], asyncio.Queue(maxsize=c["capacity"]))
            for name, c in scenario["channels"].items()
        }
        self.results = {}

    async def steps(self, steps):
        for s in steps:
            await self.step(s)

    async def step(self, s):
        k, sid = s["k"], s["id"]
        if k == "permit":
            emit("SE", sid)
            async with self.semaphores[s["semaphore"]]:
                emit("SX", sid)
                emit("SE", sid + 1)
                await self.steps(s["steps"])
                emit("SX", sid + 1)
            return
        if k == "lazy":
            emit("SE", sid)
            coro = self.steps(s["steps"])  # a coroutine object: nothing of it runs yet
            await asyncio.sleep(s["delay_ms"] / 1000)
            emit("SX", sid)
            await coro
            return
        emit("SE", sid)
        if k in ("cpu_ms", "block_ms", "blocking_http_get"):
            flush_now()
        try:
            if k == "http_get":
                await self.http_get(s["path"])
            elif k == "sleep_ms":
                await asyncio.sleep(s["ms"] / 1000)
            elif k == "cpu_ms":
                spin(s["ms"])
            elif k == "block_ms":
                time.sleep(s["ms"] / 1000)
            elif k in ("offload_cpu_ms", "offload_block_ms"):
                work = spin if k == "offload_cpu_ms" else (lambda ms: time.sleep(ms / 1000))
                await self.offload(k[:-3], work, s["ms"])
            elif k == "yield_now":
                await asyncio.sleep(0)
            elif k == "print":
                emit("PR", text(s["text"]))
            elif k == "repeat":
                for _ in range(s["times"]):
                    await self.steps(s["steps"])
            elif k == "join":
                await asyncio.gather(*(self.steps(b) for b in s["branches"]))
            elif k == "spawn":
                loop = asyncio.get_running_loop()
                children = [
                    loop.create_task(self.steps(s["steps"]), name=s["name"])
                    for _ in range(s["count"])
                ]
                if s["pause_ms"] is not None:
                    emit("SX", sid)
                    emit("SE", sid + 1)
                    await asyncio.sleep(s["pause_ms"] / 1000)
                    if s["abort"]:
                        for c in children:
                            if not c.done():  # a child done by then is not cancelled
                                emit("AB", c.asyncscope_id)
                                c.cancel()
                    emit("SX", sid + 1)
                    emit("SE", sid)
                if s["wait"]:
                    await asyncio.gather(*children, return_exceptions=True)
            elif k == "timeout":
                try:
                    await asyncio.wait_for(self.steps(s["steps"]), s["ms"] / 1000)
                except asyncio.TimeoutError:
                    pass
            elif k == "race":
                loop = asyncio.get_running_loop()
                branches = [loop.create_task(self.steps(b)) for b in s["branches"]]
                _, pending = await asyncio.wait(branches, return_when=asyncio.FIRST_COMPLETED)
                for p in pending:
                    p.cancel()
            elif k == "set_result":
                fut = self.result(s["name"])
                if not fut.done():
                    fut.set_result(True)
            elif k == "await_result":
                await self.result(s["name"])
            elif k == "send_to":
                cid, q = self.channels[s["channel"]]
                for i in range(s["count"]):
                    await q.put(i)
                    emit("CO", cid, 1)
            elif k == "recv_from":
                cid, q = self.channels[s["channel"]]
                for _ in range(s["count"]):
                    await q.get()
                    emit("CO", cid, 0)
            elif k == "recv_ready":
                q = asyncio.Queue()
                for i in range(s["count"]):
                    q.put_nowait(i)
                # asyncio has no coop budget: a ready get never yields.
                for _ in range(s["count"]):
                    await q.get()
            elif k == "blocking_http_get":
                self.blocking_http_get(s["path"])
            elif k == "cpu_pool_ms":
                await self.cpu_pool_job(s["ms"])
            elif k == "panic":
                emit("PN", text(s["message"]))
                raise RuntimeError(s["message"])
            else:
                raise ValueError(f"unknown step {k}")
        finally:
            emit("SX", sid)

    async def http_get(self, path):
        req = self.next_request
        self.next_request += 1
        emit("HS", req, text(path))
        status = 0
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        except asyncio.CancelledError:
            emit("HE", req, 1)
            raise
        except OSError:
            emit("HE", req, 0)
            return
        try:
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                "Connection: close\r\n\r\n".encode()
            )
            await writer.drain()
            answer = await reader.read()
            writer.close()
            first = answer.split(b"\r\n", 1)[0].split(b" ")
            if len(first) >= 2 and first[0].startswith(b"HTTP/1."):
                status = int(first[1])
        except asyncio.CancelledError:
            # Dropped before its answer (a timeout, a race, a cancel).
            writer.close()
            emit("HE", req, 1)
            raise
        except (OSError, ValueError):
            status = 0
        emit("HE", req, status)

    def result(self, name):
        fut = self.results.get(name)
        if fut is None:
            fut = self.results[name] = asyncio.get_running_loop().create_future()
        return fut

    def blocking_http_get(self, path):
        req = self.next_request
        self.next_request += 1
        emit("HS", req, text(path))
        status = 0
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=60) as r:
                r.read()
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        except (OSError, ValueError):
            status = 0
        emit("HE", req, status)

    async def cpu_pool_job(self, ms):
        job = self.next_cpu_job
        self.next_cpu_job += 1
        emit("CQ", job)
        loop = asyncio.get_running_loop()
        pid, start, end = await loop.run_in_executor(self.cpu_pool, cpu_job, ms, T0)
        # The job ran in another process: its start and end on that process's lane.
        emit_at(pid, start, "CB", job)
        emit_at(pid, end, "CE", job)

    async def offload(self, name, work, ms):
        job = self.next_job
        self.next_job += 1
        emit("BS", job, text(name))
        emit("N", job, text(name))

        def run():
            emit("BB", job)
            try:
                work(ms)
            finally:
                emit("BE", job)
                emit("D", job)

        await asyncio.get_running_loop().run_in_executor(self.executor, run)

    async def heartbeat(self, period_ms, step, done):
        period = period_ms / 1000
        nxt = time.perf_counter() + period
        while not done.is_set():
            if step is not None:
                emit("SE", step)
            await asyncio.sleep(max(0.0, nxt - time.perf_counter()))
            if step is not None:
                emit("SX", step)
            if done.is_set():
                return
            now = time.perf_counter()
            emit("HB", max(0, int((now - nxt) * 1e9)))
            nxt += period
            if nxt < now:
                nxt = now + period

    async def group(self, g):
        loop = asyncio.get_running_loop()
        tasks = []
        for i in range(g["count"]):
            if i > 0 and g["spawn_interval_ms"] > 0:
                await asyncio.sleep(g["spawn_interval_ms"] / 1000)
            tasks.append(loop.create_task(self.steps(g["steps"]), name=g["name"]))
        return tasks

    async def main(self):
        done = asyncio.Event()
        loop = asyncio.get_running_loop()
        beat = None
        if self.sc["heartbeat_ms"]:
            beat = loop.create_task(
                self.heartbeat(self.sc["heartbeat_ms"], self.sc["heartbeat_step"], done),
                name="heartbeat",
            )
        groups = [await self.group(g) for g in self.sc["groups"]]
        work = asyncio.gather(*(t for g in groups for t in g), return_exceptions=True)
        limit = self.sc["time_limit_s"]
        try:
            await asyncio.wait_for(work, limit)
        except asyncio.TimeoutError:
            pass
        wall = time.perf_counter_ns() - T0
        done.set()
        if beat is not None:
            await beat
        return wall


def cpu_job(ms, t0):
    """A CPU-pool job, in a worker process: its pid, start and end (ns from the run's start;
    perf_counter is the system's monotonic clock, the same in every process)."""
    start = time.perf_counter_ns() - t0
    spin(ms)
    return os.getpid(), start, time.perf_counter_ns() - t0


def spin(ms):
    end = time.perf_counter() + ms / 1000
    x = 0
    while time.perf_counter() < end:
        for _ in range(1000):
            x = (x * 6364136223846793005 + 1) & 0xFFFFFFFFFFFFFFFF
    return x


def main():
    scenario = json.load(sys.stdin)
    run = Run(scenario, sys.argv[1])
    loop = Loop()
    asyncio.set_event_loop(loop)
    # The driver is ours, not the scenario's: made before the factory, it is not recorded.
    driver = loop.create_task(run.main())
    loop.set_task_factory(task_factory)
    try:
        wall = loop.run_until_complete(driver)
    finally:
        run.executor.shutdown(wait=True)
        if run.cpu_pool is not None:
            run.cpu_pool.shutdown(wait=True)
        loop.close()
    with LOCK:
        flush()
    sys.stdout.write(f"END {wall}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
