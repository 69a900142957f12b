#!/usr/bin/env python3
"""asyncscope's asyncio runner. Standard library only; Python 3.11+.

Two ways in:
  asyncscope_asyncio.py scenario BASE_URL     the validated scenario (JSON on stdin), run on
                                              an instrumented loop against the lab server;
  asyncscope_asyncio.py script FILE [ARGS…]   any asyncio program, whose own asyncio.run
                                              gets the instrumented loop (an event-loop policy).
Either way the events go to the Unix socket named by $ASYNCSCOPE_SOCKET, in frames
`<IIQ` (type, payload length, thread ident) followed by the payload:
  0 hello    JSON: {"t0": ns, "loop_thread": ident, "python": "3.11.7", "mode": …}
  1 records  int64 quadruples (kind, perf_counter ns, a, b): see the kinds below
  2 strings  each a u32 length and UTF-8 text; ids count from 0 in order of arrival
A record that names a text carries its string id; a string is always sent before the
records that use it.

How the loop is seen (checked on CPython 3.11, see shared/FACTS.md):
- every step of a task is scheduled through the loop's `call_soon` (the C task's
  `__step` wrapper or its wakeup, both bound to the task): our `call_soon` records the
  wake (on the thread that scheduled it, inside whatever ran there) and schedules our
  `run_step` instead, which records the step's start and end around the task's own
  callback. The task stays the C task (a subclass that only adds an id slot), which costs
  far less than the pure-Python task would.
- the selector's `select` with a timeout is the loop asleep;
- `run_in_executor` submits a wrapped job, which records itself on its thread;
- in a script, at the end of each pending step, where the coroutine is suspended (the
  innermost frame of its `cr_await` chain outside asyncio and the standard library), and
  a sampler thread that names the line a long step is stuck on.
"""

import asyncio
import concurrent.futures
import functools
import io
import json
import linecache
import os
import selectors
import socket
import struct
import sys
import sysconfig
import threading
import time
import types
import weakref
from array import array
from urllib.parse import urlsplit

pc = time.perf_counter_ns
T0 = pc()

# Record kinds (src/asyncio_run/wire.rs reads them).
SPAWN, NAME, POLL, PEND, DONE, WAKE = 1, 2, 3, 4, 5, 6
BSPAWN, BSTART, BEND = 7, 8, 9
HSTART, HEND, SENTER, SEXIT, BEAT, PRINT, ABORT, CHAN = 10, 11, 12, 13, 14, 15, 16, 17
CQUEUE, CSTART, CEND, PANIC, PARK, UNPARK, SAMPLE, END = 18, 19, 20, 21, 22, 23, 25, 26

# Lines are handed over at least this often (ns) while the loop runs steps, so a live view
# follows and a run that is stopped (the process killed) keeps what happened before.
FLUSH_NS = 20_000_000
# ...and when the loop's buffer holds this many int64s.
FLUSH_LEN = 1 << 16

_ASYNCIO_DIR = os.path.dirname(asyncio.__file__) + os.sep
A = array("q")  # the loop thread's records: only that thread writes them
ext = A.extend
OTHER = {}  # other threads' (and processes') records, by ident, under LOCK
LOCK = threading.Lock()
STRINGS = {}
NEW_STRINGS = []
SOCK = None
LOOP_T = threading.get_ident()
LAST_FLUSH = T0


def sid(s):
    """The string id of `s`, sent with the next flush if it is new."""
    i = STRINGS.get(s)
    if i is None:
        with LOCK:
            i = STRINGS.get(s)
            if i is None:
                i = STRINGS[s] = len(STRINGS)
                NEW_STRINGS.append(s)
    return i


def rec(kind, a=0, b=0):
    """A record of the loop's thread, now."""
    ext((kind, pc(), a, b))


def rec_any(kind, a=0, b=0):
    """A record of whichever thread calls it."""
    t = threading.get_ident()
    if t == LOOP_T:
        ext((kind, pc(), a, b))
    else:
        rec_at(t, pc(), kind, a, b)


def rec_at(thread, ts, kind, a=0, b=0):
    """A record of another thread or process (`thread` its ident, or a pid)."""
    with LOCK:
        buf = OTHER.get(thread)
        if buf is None:
            buf = OTHER[thread] = array("q")
        buf.extend((kind, ts, a, b))


def flush():
    """Sends what has been recorded (on the loop's thread, or once it has stopped)."""
    global LAST_FLUSH
    with LOCK:
        parts = []
        if NEW_STRINGS:
            texts = [s.encode("utf-8", "replace") for s in NEW_STRINGS]
            payload = b"".join(struct.pack("<I", len(t)) + t for t in texts)
            parts.append(struct.pack("<IIQ", 2, len(payload), 0) + payload)
            NEW_STRINGS.clear()
        if A:
            payload = A.tobytes()
            del A[:]
            parts.append(struct.pack("<IIQ", 1, len(payload), LOOP_T) + payload)
        for thread, buf in OTHER.items():
            if buf:
                payload = buf.tobytes()
                del buf[:]
                parts.append(struct.pack("<IIQ", 1, len(payload), thread) + payload)
    if parts and SOCK is not None:
        SOCK.sendall(b"".join(parts))
    LAST_FLUSH = pc()


def hello(mode):
    info = {"t0": T0, "loop_thread": LOOP_T, "mode": mode,
            "python": ".".join(map(str, sys.version_info[:3]))}
    payload = json.dumps(info).encode()
    SOCK.sendall(struct.pack("<IIQ", 0, len(payload), 0) + payload)


# ---------------------------------------------------------------------------------------
# The instrumented loop


class Task(asyncio.Task):
    """The C task with an id of ours; its steps are recorded by the loop."""

    __slots__ = ("asyncscope_id",)

    def __init__(self, coro, *, loop=None, name=None, context=None):
        code = getattr(coro, "cr_code", None)
        if code is not None and code.co_filename.startswith(_ASYNCIO_DIR):
            # asyncio's own (asyncio.run's shutdown of async generators and the default
            # executor): the runtime's, not the program's.
            self.asyncscope_id = None
            super().__init__(coro, loop=loop, name=name, context=context)
            return
        # The id first: the task's constructor schedules its first step.
        self.asyncscope_id = i = _next_id()
        where = "asyncio" if code is None else f"{os.path.basename(code.co_filename)}:{code.co_firstlineno}"
        # The parent is the task whose step this is: the model sees it from the thread.
        rec_any(SPAWN, i, sid(where))
        if NAME_BY_QUALNAME:
            rec_any(NAME, i, sid(getattr(coro, "__qualname__", None) or where))
        super().__init__(coro, loop=loop, name=name, context=context)

    def set_name(self, value):
        # create_task names a task from a factory after making it.
        super().set_name(value)
        if self.asyncscope_id is not None:
            rec_any(NAME, self.asyncscope_id, sid(str(value)))


_next_id = iter(range(1, 1 << 40)).__next__
NAME_BY_QUALNAME = False  # scripts: an unnamed task is named by its coroutine


def task_factory(loop, coro, **kwargs):
    return Task(coro, loop=loop, **kwargs)


def run_step(tid, task, cb, *args):
    """One step of a task: the task's own callback, between its two records."""
    ext((POLL, pc(), tid, 0))
    try:
        cb(*args)
    finally:
        e = pc()
        ext((DONE if task.done() else PEND, e, tid, 0))
        if e - LAST_FLUSH > FLUSH_NS or len(A) > FLUSH_LEN:
            flush()


SAMPLED = [None]  # (run_step's frame, ns, site) from the sampler


def run_step_traced(tid, task, cb, *args):
    """The same, for a script: a pending step also records where its coroutine paused,
    and a long one where the sampler saw it stuck."""
    ext((POLL, pc(), tid, 0))
    try:
        cb(*args)
    finally:
        e = pc()
        s = SAMPLED[0]
        if s is not None:
            SAMPLED[0] = None
            if s[0] is sys._getframe():
                ext((SAMPLE, s[1], tid, s[2]))
        if task.done():
            ext((DONE, e, tid, 0))
        else:
            try:
                site = suspended_at(task)
            except Exception:  # never the program's problem
                site = None
            # Where it paused rides on the step's end: the site's string id + 1.
            ext((PEND, e, tid, 0 if site is None else site + 1))
        if e - LAST_FLUSH > FLUSH_NS or len(A) > FLUSH_LEN:
            flush()


_base_call_soon = asyncio.SelectorEventLoop.call_soon
_base_run_in_executor = asyncio.SelectorEventLoop.run_in_executor
EXECUTOR_FUTURES = weakref.WeakSet()
_next_job = _next_id  # like tokio: jobs and tasks share the ids
_next_cpu_job = iter(range(1 << 48, 1 << 60)).__next__


class Selector(selectors.DefaultSelector):
    """The loop's selector: a wait with a timeout is the loop asleep."""

    def select(self, timeout=None):
        if timeout is not None and timeout <= 0:
            return super().select(timeout)
        rec(PARK)
        flush()
        try:
            return super().select(timeout)
        finally:
            rec(UNPARK)


def job_name(func):
    if isinstance(func, functools.partial):
        # asyncio.to_thread: partial(contextvars.Context.run, func, …)
        inner = func.args[0] if func.args and callable(func.args[0]) else func.func
        return job_name(inner)
    return getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or repr(func)


# Pickled by a process pool by this name, also while a script is `__main__`.
sys.modules.setdefault("asyncscope_asyncio", sys.modules[__name__])


class ProcessJob:
    """A job for a process pool, picklable: runs `func` there and says when (perf_counter
    is the system's monotonic clock, the same in every process) and in which process."""

    def __init__(self, func, args):
        self.func, self.args = func, args

    def __call__(self):
        start = pc()
        result = self.func(*self.args)
        return os.getpid(), start, pc(), result


ProcessJob.__module__ = "asyncscope_asyncio"

class Loop(asyncio.SelectorEventLoop):
    """The event loop, whose every task step, wake and executor job is recorded."""

    def __init__(self, traced=False):
        super().__init__(Selector())
        self._asyncscope_step = run_step_traced if traced else run_step
        self.set_task_factory(task_factory)

    def run_forever(self):
        global LOOP_T
        LOOP_T = threading.get_ident()
        return super().run_forever()

    def call_soon(self, callback, *args, context=None):
        task = getattr(callback, "__self__", None)
        tid = getattr(task, "asyncscope_id", None)
        if tid is None:
            return _base_call_soon(self, callback, *args, context=context)
        ext((WAKE, pc(), tid, 0))
        return _base_call_soon(
            self, self._asyncscope_step, tid, task, callback, *args, context=context)

    def run_in_executor(self, executor, func, *args):
        if isinstance(executor, concurrent.futures.ProcessPoolExecutor):
            return self._process_job(executor, func, args)
        job = _next_job()
        name = sid(job_name(func))
        rec_any(BSPAWN, job, name)

        def run():
            rec_any(BSTART, job)
            try:
                return func(*args)
            finally:
                rec_any(BEND, job)

        fut = _base_run_in_executor(self, executor, run)
        EXECUTOR_FUTURES.add(fut)
        return fut

    def _process_job(self, executor, func, args):
        job = _next_cpu_job()
        rec_any(CQUEUE, job)
        rec_any(NAME, job, sid(job_name(func)))
        inner = _base_run_in_executor(self, executor, ProcessJob(func, args))
        outer = self.create_future()
        EXECUTOR_FUTURES.add(outer)

        def done(f):
            if outer.cancelled():
                return
            if f.cancelled():
                outer.cancel()
            elif f.exception() is not None:
                outer.set_exception(f.exception())
            else:
                pid, start, end, result = f.result()
                rec_at(pid, start, CSTART, job)
                rec_at(pid, end, CEND, job)
                outer.set_result(result)

        inner.add_done_callback(done)
        return outer


class Policy(asyncio.DefaultEventLoopPolicy):
    """Makes every new loop (asyncio.run's too) an instrumented one."""

    def new_event_loop(self):
        return Loop(traced=True)


# ---------------------------------------------------------------------------------------
# Where a coroutine paused, and where a long step is stuck (scripts)

_STDLIB_DIR = sysconfig.get_paths()["stdlib"] + os.sep
_OWN_FILE = os.path.abspath(__file__)
_USER = {}


def user_file(filename):
    """Whether a frame of `filename` is the program's own code (not asyncio, the standard
    library or this runner)."""
    u = _USER.get(filename)
    if u is None:
        path = os.path.abspath(filename)
        u = _USER[filename] = not (
            filename.startswith("<") or path.startswith(_STDLIB_DIR)
            or path.startswith(_ASYNCIO_DIR) or path == _OWN_FILE)
    return u


# asyncio's own coroutines, by (module file, function), and what a task paused in them
# waits for.
_WAITS = {
    ("tasks.py", "sleep"): "timer",
    ("tasks.py", "__sleep0"): "yield",
    ("locks.py", "acquire"): "permit",
    ("queues.py", "get"): "channel_recv",
    ("queues.py", "put"): "channel_send",
    ("tasks.py", "wait"): "join",
    ("tasks.py", "_wait"): "join",
    ("tasks.py", "wait_for"): "other",
    ("streams.py", "open_connection"): "io",
    ("streams.py", "_wait_for_data"): "io",
    ("streams.py", "drain"): "io",
    ("streams.py", "_drain_helper"): "io",
    ("base_events.py", "create_connection"): "io",
    ("selector_events.py", "sock_recv"): "io",
    ("selector_events.py", "sock_sendall"): "io",
    ("selector_events.py", "sock_connect"): "io",
    ("selector_events.py", "sock_accept"): "io",
}
SITES = {}


def source(filename, line):
    """The line's code, short: without a trailing comment, at most 60 characters."""
    text = linecache.getline(filename, line).strip()
    if "#" in text:
        try:
            import tokenize

            toks = tokenize.generate_tokens(io.StringIO(text).readline)
            for t in toks:
                if t.type == tokenize.COMMENT:
                    text = text[: t.start[1]].rstrip()
                    break
        except (tokenize.TokenError, SyntaxError, IndentationError):
            pass
    return text if len(text) <= 60 else text[:59] + "…"


def site_id(kind, code, line, wait):
    """The string id of a site: `code`'s line `line`, paused there (`await`, waiting for
    `wait`) or seen stuck there (`code`)."""
    key = (id(code), line, wait, kind)
    entry = SITES.get(key)
    if entry is None or entry[0] is not code:
        filename = code.co_filename
        base = os.path.basename(filename)
        info = {"kind": kind, "at": f"{base}:{line}", "line": line,
                "code": source(filename, line), "wait": wait}
        entry = SITES[key] = (code, sid(json.dumps(info, ensure_ascii=False)))
    return entry[1]


_CODE = {}  # id(code) -> (code, True for the program's own, else what asyncio's waits on)
_CORO, _GEN = types.CoroutineType, types.GeneratorType


def code_info(code):
    """True for the program's own code; for asyncio's, what a task paused there waits for
    (or False). By the code object's id: hashing a code object hashes its contents."""
    entry = _CODE.get(id(code))
    if entry is None or entry[0] is not code:
        fn = code.co_filename
        info = True if user_file(fn) else (
            _WAITS.get((os.path.basename(fn), code.co_name)) or False)
        entry = _CODE[id(code)] = (code, info)
    return entry[1]


def suspended_at(task):
    """The site (string id) where `task`'s coroutine paused: the innermost frame of its
    await chain in the program's own code, and what it waits for there."""
    aw = task.get_coro()
    user = None
    wait = None
    while True:
        t = type(aw)
        if t is _CORO:
            frame, nxt = aw.cr_frame, aw.cr_await
        elif t is _GEN:
            frame, nxt = aw.gi_frame, aw.gi_yieldfrom
        else:
            break  # a future's iterator, or a C awaitable: the leaf
        if frame is None:
            break
        info = code_info(frame.f_code)
        if info is True:
            user, wait = frame, None
        elif info and user is not None:
            wait = info  # the innermost of asyncio's says (sleep(0) is a yield, not a timer)
        if nxt is None:
            break
        aw = nxt
    if user is None:
        return None
    if wait is None:
        # The future the task is blocked on (an awaited future's iterator, at the end of
        # the chain, does not say which it is).
        fut = task._fut_waiter
        if fut is None:
            wait = "yield"
        elif isinstance(fut, (asyncio.Task, asyncio.tasks._GatheringFuture)):
            wait = "join"
        elif fut in EXECUTOR_FUTURES:
            wait = "blocking"
        else:
            wait = "result"
    return site_id("await", user.f_code, user.f_lineno, wait)


STOP_SAMPLER = threading.Event()
SAMPLE_NS = 20_000_000


def sampler():
    """Every 20 ms, looks at the loop's thread: a step seen twice running is a long one,
    and the line it is on is where it is stuck (a time.sleep, a CPU loop)."""
    step_code = run_step_traced.__code__
    prev, first_ts, reported = None, 0, None
    while not STOP_SAMPLER.wait(SAMPLE_NS / 1e9):
        frame = sys._current_frames().get(LOOP_T)
        inner, step = None, None
        while frame is not None:
            code = frame.f_code
            if code is step_code:
                step = frame
                break
            if inner is None and user_file(code.co_filename):
                inner = frame
            frame = frame.f_back
        if step is None or inner is None:
            prev = None
            continue
        if step is not prev:
            prev, first_ts = step, pc()
        elif step is not reported:
            site = site_id("code", inner.f_code, inner.f_lineno, None)
            SAMPLED[0] = (step, first_ts, site)
            reported = step
        del frame, inner, step


class Stdout(io.TextIOBase):
    """The script's standard output, passed through; each line it prints is also a print
    mark of the task (or thread) that printed it."""

    def __init__(self, real):
        self.real = real
        self.partial = ""

    def write(self, s):
        self.real.write(s)
        text = self.partial + s
        *lines, self.partial = text.split("\n")
        for line in lines:
            rec_any(PRINT, sid(line[:200]))
        return len(s)

    def flush(self):
        self.real.flush()

    def fileno(self):
        return self.real.fileno()

    def isatty(self):
        return self.real.isatty()

    def writable(self):
        return True

    @property
    def encoding(self):
        return self.real.encoding

    @property
    def errors(self):
        return self.real.errors

    def __getattr__(self, name):
        # The rest (`buffer`, `reconfigure`, …) is the real stream's.
        return getattr(self.real, name)


# ---------------------------------------------------------------------------------------
# Scenarios


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
        # A process pool sized to the cores: threads would share the GIL with the loop. Its
        # processes are started here, before the loop runs, so that no step pays for them.
        self.cpu_pool = None
        if scenario["uses_cpu_pool"]:
            n = scenario["cpu_threads"]
            self.cpu_pool = concurrent.futures.ProcessPoolExecutor(max_workers=n)
            for f in [self.cpu_pool.submit(os.getpid) for _ in range(n)]:
                f.result()
        self.channels = {
            name: (c["id"], asyncio.Queue(maxsize=c["capacity"]))
            for name, c in scenario["channels"].items()
        }
        self.results = {}

    async def steps(self, steps):
        for s in steps:
            await self.step(s)

    async def step(self, s):
        k, sid_ = s["k"], s["id"]
        if k == "permit":
            rec(SENTER, sid_)
            async with self.semaphores[s["semaphore"]]:
                rec(SEXIT, sid_)
                rec(SENTER, sid_ + 1)
                await self.steps(s["steps"])
                rec(SEXIT, sid_ + 1)
            return
        if k == "lazy":
            rec(SENTER, sid_)
            coro = self.steps(s["steps"])  # a coroutine object: nothing of it runs yet
            await asyncio.sleep(s["delay_ms"] / 1000)
            rec(SEXIT, sid_)
            await coro
            return
        rec(SENTER, sid_)
        if k in ("cpu_ms", "block_ms", "blocking_http_get"):
            flush()  # a live view sees the step start before the loop stops for it
        try:
            if k == "http_get":
                await self.http_get(s["path"])
            elif k == "sleep_ms":
                await asyncio.sleep(s["ms"] / 1000)
            elif k == "cpu_ms":
                spin(s["ms"])
            elif k == "block_ms":
                time.sleep(s["ms"] / 1000)
            elif k == "offload_cpu_ms":
                await asyncio.get_running_loop().run_in_executor(
                    self.executor, offload_cpu, s["ms"])
            elif k == "offload_block_ms":
                await asyncio.get_running_loop().run_in_executor(
                    self.executor, offload_block, s["ms"])
            elif k == "yield_now":
                await asyncio.sleep(0)
            elif k == "print":
                rec(PRINT, sid(s["text"]))
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
                    rec(SEXIT, sid_)
                    rec(SENTER, sid_ + 1)
                    await asyncio.sleep(s["pause_ms"] / 1000)
                    if s["abort"]:
                        for c in children:
                            if not c.done():  # a child done by then is not cancelled
                                rec(ABORT, c.asyncscope_id)
                                c.cancel()
                    rec(SEXIT, sid_ + 1)
                    rec(SENTER, sid_)
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
                    rec(CHAN, cid, 1)
            elif k == "recv_from":
                cid, q = self.channels[s["channel"]]
                for _ in range(s["count"]):
                    await q.get()
                    rec(CHAN, cid, 0)
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
                await asyncio.get_running_loop().run_in_executor(
                    self.cpu_pool, cpu_pool, s["ms"])
            elif k == "panic":
                rec(PANIC, sid(s["message"]))
                raise RuntimeError(s["message"])
            else:
                raise ValueError(f"unknown step {k}")
        finally:
            rec(SEXIT, sid_)

    async def http_get(self, path):
        req = self.next_request
        self.next_request += 1
        rec(HSTART, req, sid(path))
        status = 0
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        except asyncio.CancelledError:
            rec(HEND, req, 1)
            raise
        except OSError:
            rec(HEND, req, 0)
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
            rec(HEND, req, 1)
            raise
        except (OSError, ValueError):
            status = 0
        rec(HEND, req, status)

    def result(self, name):
        fut = self.results.get(name)
        if fut is None:
            fut = self.results[name] = asyncio.get_running_loop().create_future()
        return fut

    def blocking_http_get(self, path):
        import urllib.error  # here: it takes a while to import, and scripts never need it
        import urllib.request

        req = self.next_request
        self.next_request += 1
        rec(HSTART, req, sid(path))
        status = 0
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=60) as r:
                r.read()
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        except (OSError, ValueError):
            status = 0
        rec(HEND, req, status)

    async def heartbeat(self, period_ms, step, done):
        period = period_ms / 1000
        nxt = time.perf_counter() + period
        while not done.is_set():
            if step is not None:
                rec(SENTER, step)
            await asyncio.sleep(max(0.0, nxt - time.perf_counter()))
            if step is not None:
                rec(SEXIT, step)
            now = time.perf_counter()
            # At the end, a tick that fell due before the run ended fired this late; one
            # due after it is no tick of the run.
            if done.is_set() and nxt > self.done_at:
                return
            rec(BEAT, max(0, int((now - nxt) * 1e9)))
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
        wall = pc()
        self.done_at = time.perf_counter()
        done.set()
        if beat is not None:
            await beat
        return wall


def cpu_pool(ms):
    """A CPU-pool job (in a worker process)."""
    spin(ms)


def offload_cpu(ms):
    spin(ms)


def offload_block(ms):
    time.sleep(ms / 1000)


def spin(ms):
    end = time.perf_counter() + ms / 1000
    x = 0
    while time.perf_counter() < end:
        for _ in range(1000):
            x = (x * 6364136223846793005 + 1) & 0xFFFFFFFFFFFFFFFF
    return x


def connect():
    global SOCK
    SOCK = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    SOCK.connect(os.environ["ASYNCSCOPE_SOCKET"])


def finish(wall):
    rec_any(END, wall)
    flush()
    SOCK.shutdown(socket.SHUT_WR)
    SOCK.close()


def run_scenario(base_url):
    scenario = json.load(sys.stdin)
    connect()
    hello("scenario")
    run = Run(scenario, base_url)
    loop = Loop()
    asyncio.set_event_loop(loop)
    # The driver is ours, not the scenario's: a plain task, so it is not recorded.
    loop.set_task_factory(None)
    driver = loop.create_task(run.main())
    loop.set_task_factory(task_factory)
    try:
        wall = loop.run_until_complete(driver)
    finally:
        run.executor.shutdown(wait=True)
        if run.cpu_pool is not None:
            run.cpu_pool.shutdown(wait=True)
        loop.close()
    finish(wall)


def run_script(path, args):
    """Runs the program at `path` as `__main__`, with every asyncio loop it makes
    instrumented; its exit status is the runner's."""
    import runpy

    global NAME_BY_QUALNAME
    NAME_BY_QUALNAME = True
    connect()
    hello("script")
    asyncio.set_event_loop_policy(Policy())
    sys.argv = [path, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    sys.stdout = Stdout(sys.stdout)
    threading.Thread(target=sampler, name="asyncscope-sampler", daemon=True).start()
    status = 0
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        STOP_SAMPLER.set()
        sys.stdout.flush()
        finish(pc())
    sys.exit(status)


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "scenario":
        run_scenario(sys.argv[2])
    elif len(sys.argv) >= 3 and sys.argv[1] == "script":
        run_script(sys.argv[2], sys.argv[3:])
    else:
        sys.exit("usage: asyncscope_asyncio.py scenario BASE_URL | script FILE [ARGS…]")


if __name__ == "__main__":
    main()
