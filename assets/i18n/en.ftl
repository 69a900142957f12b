# asyncscope's words in English. One message per id; the code names the ids with t!().
# Zh.ftl has the same ids with the same arguments (a test checks it).
# A value that must begin with a space or punctuation that Fluent would trim starts with {""}.

## The main window

run = Run
run-hover = Run the scenario (F5)
stop = Stop
run-selected = Run the selected scenario
presented-scenario-hover = The scenario to run: pick another here
leave-presentation = Leave (F11)
leave-presentation-hover = Leave presentation mode: back to the panels (F11, Ctrl+P or Esc)
language-hover = The window's words, and the scenarios' names and lessons, in this language
plots = Plots
plots-hover = Show the plots under the lanes (busy %, scheduled tasks, heartbeat)
legend = Legend
legend-hover = Show the legend at the bottom
no-run-yet = No run yet.
status-running = Running · { $elapsed }
status-finished = Finished · wall time { $wall }
status-stopped = Stopped after { $wall } · the trace so far is kept
status-failed = Failed: { $error }
other-scenario-note = On screen: run #{ $run } of “{ $shown }”, not of the selected “{ $selected }”.
show-scenario-panel = Show the scenario panel
show-details-panel = Show the findings and details
findings-folded = { $count } { $count ->
    [one] finding
   *[other] findings
    }: « shows them
hide-left = « hide
hide-left-hover = Hide the scenario panel (the timeline takes the width)
hide-right = hide »
hide-right-hover = Hide the findings and details (the timeline takes the width)
histograms = Histograms
task-groups = Task groups (tokio-metrics)
details = Details
finishing-run = Finishing the run: sorting and resolving { $events } events…
select-and-run = Select a scenario on the left and press Run.
drop-hint = Drop a scenario (.toml) or recorded runs (.ascope, .json) to open them

## The findings panel

findings = Findings
findings-when-run-ends = Computed when the run ends.
findings-none = None: nothing stalled, queued, repeated or was refused.
run-error = run error: { $error }
run-note = note: { $note }
severity-error = error
severity-warning = warning
severity-info = info
finding-hover = Why: { $cause }
    Fix: { $remedy }
    (click: show it)
finding-fix = Fix: { $remedy }

## Findings (the JSON summary keeps the English ones)

finding-sentence = { $what }{ $details }.
finding-oversubscribed = { $workers } workers ran on { $cpus } CPUs: the OS paused workers in the middle of polls, so polls and scheduling delays can look longer than the work in them
finding-oversubscribed-cause = A poll's length is wall time: while the OS runs another worker on the CPU, the paused worker's poll goes on counting.
finding-oversubscribed-remedy = Read the slow polls with that in mind, or run with no more workers than CPUs (`workers = { $cpus }`) to see the work alone.
finding-truncated = Recording stopped at { $events } events, { $at } into the run (the memory cap); { $dropped } more events were not recorded
finding-truncated-cause = A run that makes more events than `max_events` is recorded up to the cap, so memory stays bounded; what happened later is not on the timeline.
finding-truncated-remedy = Raise `max_events` in the scenario (or `--max-events`), or make the scenario smaller; tasks still waiting at the cut are not lost wake-ups.
finding-at-code = at { $code }
finding-in-step-line = in step `{ $step }` (line { $line })
finding-in-step = in step `{ $step }`
finding-never-yielded = Task `{ $task }` #{ $id } never yielded: it ran its whole life in one { $duration } poll on { $lane }
finding-slow-poll = Task `{ $task }` #{ $id } held { $lane } for { $duration } in one poll (budget { $budget })
finding-detail-step = , { $step }
finding-detail-gil = ; executor threads running Python held the GIL meanwhile
finding-detail-slow-callback = {""} (asyncio calls this a slow callback: it logs those over loop.slow_callback_duration, 100 ms, in debug mode)
finding-detail-waited = ; { $count } woken { $count ->
    [one] task
   *[other] tasks
    } waited behind it, up to { $longest }
finding-detail-heartbeat = ; the heartbeat fired up to { $late } late
finding-detail-oversubscribed = {""} ({ $workers } workers on { $cpus } CPUs: part of it may be the OS pausing the worker)
finding-slow-poll-cause = A poll runs until the task reaches an .await that is not ready: CPU work or a blocking call inside it keeps the worker from polling anything else.
finding-slow-poll-remedy = Move the work to the blocking pool (tokio::task::spawn_blocking, like Python's run_in_executor) or a CPU pool, and await its result.
finding-slow-poll-asyncio-cause = A step of a coroutine runs until it reaches an await that is not ready: CPU work or a blocking call (time.sleep, requests.get) inside it keeps the event loop from running any other task or callback.
finding-slow-poll-asyncio-remedy = Move a blocking call off the loop with await loop.run_in_executor(None, f) (or asyncio.to_thread), and CPU work to a ProcessPoolExecutor: threads share the GIL with the loop.
finding-slow-poll-blocking-http-cause = A blocking HTTP client waits for the answer inside the poll (like requests.get() in a coroutine): the worker sleeps in read() and polls nothing else until the server answers.
finding-slow-poll-blocking-http-remedy = Use an async client and .await the request (reqwest here; aiohttp or httpx in Python); a library that only has a blocking client goes to the blocking pool (spawn_blocking, run_in_executor).
finding-shared-gil = The heartbeat fired up to { $late } late ({ $ticks } of its ticks over { $budget }) while { $threads } executor { $threads ->
    [one] thread
   *[other] threads
    } ran Python CPU work{ $step }: they hold the GIL the event loop needs
finding-gil-step = {""} `{ $step }` (line { $line })
finding-shared-gil-cause = CPython runs one thread's Python code at a time (the GIL): run_in_executor moves CPU work off the loop's thread but not off the GIL, so the loop waits its turn (sys.getswitchinterval(), 5 ms) for every step and every timer fires late.
finding-shared-gil-remedy = Send CPU-bound Python work to a ProcessPoolExecutor (loop.run_in_executor(pool, f); the cpu_pool_ms step), or to code that releases the GIL; keep threads for blocking I/O, which releases it while it waits.
finding-blocking-saturated = { $jobs } offloaded { $jobs ->
    [one] job
   *[other] jobs
    } waited for a blocking thread, up to { $wait } (`{ $task }` #{ $id }); all { $threads } blocking { $threads ->
    [one] thread
   *[other] threads
    } were busy
finding-blocking-saturated-cause = spawn_blocking queues work when every thread of the blocking pool is busy (max_blocking_threads).
finding-blocking-saturated-remedy = Raise max_blocking_threads if the work blocks on I/O; for CPU work, size a dedicated pool (e.g. rayon) to the cores instead.
finding-executor-saturated = { $jobs } offloaded { $jobs ->
    [one] job
   *[other] jobs
    } waited for an executor thread, up to { $wait } (`{ $task }` #{ $id }); all { $threads } executor { $threads ->
    [one] thread
   *[other] threads
    } were busy
finding-executor-saturated-cause = run_in_executor queues work when every thread of the executor is busy (ThreadPoolExecutor's max_workers; max_blocking_threads in the scenario).
finding-executor-saturated-remedy = Give the executor more threads if the work blocks on I/O; for CPU work, a ProcessPoolExecutor sized to the cores.
finding-task-fallback = task { $id }
finding-sequential-awaits = Task `{ $task }` #{ $id } awaited { $requests } requests one after another: { $waited } of waiting, { $share }% of the run; overlapped, they would take about { $overlapped }
finding-sequential-awaits-cause = Each .await waits for one response before the next request is even sent, so the latencies add up.
finding-sequential-awaits-remedy = Start independent requests together (join_all, or spawn a task each) and await them as a group; bound the fan-out with a semaphore.
finding-rate-limited = { $refused } of { $requests } requests were refused with 429 Too Many Requests; up to { $peak } were in flight at once
finding-rate-limited-cause = The client sent requests faster than the server's rate limit allows.
finding-rate-limited-remedy = Bound concurrency with a Semaphore and pace the requests (or honour Retry-After with a backoff).
finding-lost-wakeup = Task `{ $task }` #{ $id } went back to wait at { $at } and was never woken again ({ $waited } until the runtime shut down)
finding-lost-wakeup-cause = A future returned Pending without arranging a wake-up (its waker was dropped or never registered), so the task hangs forever.
finding-lost-wakeup-remedy = Make sure every Pending has a registered waker that something will call; prefer tokio's primitives over hand-written futures.

## The legend

legend-wait-http = for HTTP
legend-wait-timer = for a timer (sleep)
legend-wait-permit = for a semaphore permit
legend-wait-join = for joined work / children
legend-wait-send = for room to send
legend-wait-recv = for a message
legend-wait-blocking = for the blocking pool
legend-wait-cpu-pool = for the CPU pool
legend-wait-result = for a result another task sets
legend-wait-yield = after a yield
legend-wait-never = for a wake that never comes
legend-wait-io = for I/O (library tasks)
legend-poll = poll (colour = task group)
legend-ready = end mark = Ready: the task finished in this poll; no mark = Pending: back to wait at an .await
legend-scheduled = scheduled: woken, waiting for a worker
legend-dimmed = dimmed: several polls closer than a pixel (zoom in)
legend-parked = worker parked: asleep, nothing to run
legend-runtime-work = worker between polls: the runtime's own work (searching, stealing, timers, I/O)
legend-worker-strip = under a task's poll: the worker that ran it (its colour by the worker's name); a tick: the task moved to another worker
legend-spawned = spawned
legend-completed = completed
legend-panicked = panicked
legend-wake-arrow = wake -> the poll it caused (hover or select a task)
legend-waiting = waiting at an .await
legend-refused = red bar under an HTTP wait: the request was refused (429) or failed
legend-print = a print line of the task (listed in Output; click one to find it)
legend-cancelled = cancelled: aborted by the scenario (a small grey x: still alive at shutdown)

## The scenario panel

scenarios = Scenarios
language-english-hover = The window's words, and the scenarios' names and lessons, in English
language-chinese-hover = The window's words, and the scenarios' names and lessons, in Chinese (where the file has them)
open = Open…
open-hover = Open a scenario (.toml) or a recorded run (Ctrl+O; or drop files on the window)
trace-python = Trace a Python script…
trace-python-hover = Run an asyncio program (.py) on the instrumented event loop and watch it live (or drop it on the window). The lab server runs beside it: its URL is in ASYNCSCOPE_LAB_URL
recent = Recent
run-fresh-hover = Run the selected scenario on a fresh runtime
on-tokio = on tokio
on-asyncio = on asyncio
runtime-hover = The runtime Run uses: tokio, or CPython's asyncio (click to switch)
run-both = Run on both
run-both-hover = Run it on tokio, then on asyncio, and compare the two runs
stop-hover = Stop the run; the trace so far is kept
export-view = Export view…
export-view-hover = Save the timeline as you see it, as SVG or PNG, for slides (Ctrl+E)
events-captured = { $events } events captured, { $dropped } dropped
truncated-status = Truncated at { $events } events: the memory cap (max_events) was reached and the rest of the run was not recorded
dropped-status = Events were dropped (the capture channel was full): the trace is incomplete
select-scenario = Select a scenario.
no-chinese-about = (this file has no Chinese text: about_zh)
on-asyncio-heading = On asyncio
allow-external-warning = allow_external = true: this scenario may send requests beyond 127.0.0.1
fact-runtime = runtime
fact-current-thread = current_thread (one thread)
fact-multi-thread = multi_thread, { $workers } workers
fact-network = network
fact-network-external = external URLs allowed (allow_external = true)
fact-network-local = 127.0.0.1 only (the lab server)
fact-blocking-pool = blocking pool
fact-blocking-threads = up to { $threads } threads
fact-rate-limit = {""}, 429 above { $rate }/s
fact-lab-server = lab server
fact-heartbeat = heartbeat
fact-every = every { $ms } ms
fact-semaphore = semaphore
fact-permits = { $name }: { $permits } permits
fact-channel = channel
fact-room = { $name }: room for { $capacity } messages
fact-cpu-pool = cpu pool
fact-cpu-threads = { $threads } threads (cpu_threads)
fact-result = result
fact-set-once = { $name }: { $what } (set once)
fact-spawn-interval = {""} (one every { $ms } ms)
fact-task-group = task `{ $name }`
step-blocking-get = blocking GET { $url } (inside the poll)
step-sleep = sleep { $ms } ms
step-cpu = cpu { $ms } ms
step-block = block { $ms } ms
step-offload-cpu = offload cpu { $ms } ms
step-offload-block = offload block { $ms } ms
step-cpu-pool = cpu { $ms } ms on the CPU pool
step-yield = yield
step-forget-wake = forget its wake-up (hangs)
step-permit = with { $semaphore } permit [{ $steps }]
step-join = join [{ $branches }]
step-spawn-await = spawn { $count } `{ $name }` [{ $steps }], sleep { $ms } ms, await them
step-spawn-abort = spawn { $count } `{ $name }` [{ $steps }], abort them after { $ms } ms
step-spawn = spawn { $count } `{ $name }` [{ $steps }]
step-timeout = within { $ms } ms [{ $steps }], else drop it
step-race = race [{ $branches }], the first wins
step-lazy = build [{ $steps }], await it after { $ms } ms
step-set-result = set result `{ $name }`
step-await-result = await result `{ $name }`
step-recv-ready = receive { $count } ready messages
step-send = send { $count } to `{ $channel }`
step-recv = receive { $count } from `{ $channel }`
knob-in-file = { $value } in the file
parameters = Parameters
parameters-hint = Turn a knob, then Run: the run uses these values.
as-in-file = As in the file.
changed = Changed: { $changes }
reset = Reset
reset-hover = Back to the file's values
save-as = Save as…
save-as-hover = Write the edited scenario to a new TOML file (comments and layout kept)
console-hover = Serve each run to tokio-console (console-subscriber) on 127.0.0.1
port-prefix = port {""}
console-serving = Serving the latest run: tokio-console http://{ $addr }
console-next = The next run is served on 127.0.0.1:{ $port }

## The run history

runs = Runs
no-runs-yet = No runs yet.
run-status-running = running
run-status-done = done
run-status-stopped = stopped
run-status-failed = failed
pick-run-hover = Pick this run for the comparison (the first ticked is the baseline)
delete = Delete
delete-hover = Forget this run
opened-from-file = Opened from a file
compare-button = Compare ({ $count })
compare-hover = Show the ticked runs stacked on one time axis, with a table of figures
run-name = Name
run-name-hover = Rename the run on screen
save-run = Save run…
save-run-hover = Save the run on screen as a trace file (.ascope) to reopen later

## The timeline

lane-shares-worker = busy { $busy }% · parked { $parked }% · other { $other }%
lane-shares = busy { $busy }%
catching-up = modelling: { $behind } behind the run
    (every event is kept; it catches up when the run ends)
replay = Replay
replay-hover = Play the run back slowly, growing as it did live
follow-live = Follow live
follow-live-hover = Keep the newest time in view while a run is live
fit = Fit (F)
fit-hover = Show the whole run
zoom-hint = 100 px = { $scale } · zoom: Ctrl+wheel or W/S · pan: drag, wheel or A/D
lane-worker-hover = A worker thread: each bar is one poll of a task. Low blue bars: parked (asleep, nothing to run). Thin line: between polls, the runtime's own work (searching, stealing, driving timers and I/O)
lane-blocking-hover = A blocking-pool thread: each bar is one spawn_blocking closure
lane-cpu-hover = A thread of the scenario's CPU pool: each bar is one cpu_pool_ms job
live-poll-hover = { $task } #{ $id }: polling for { $duration } and counting
no-polls-yet = No polls yet: press Run.
poll-tooltip = poll on { $lane } at { $at }, lasted { $duration }
poll-ended-pending = ended Pending: went back to wait at an .await
poll-ended-ready = ended Ready: the task finished in this poll
poll-click-hint = click: select · double-click: zoom to it
group-counted-at-end = counted by state when the run ends
state-at-code = {""} at { $code }
state-step-line = {""}: `{ $step }` (line { $line })
state-step = {""}: `{ $step }`
state-took = {""} for { $duration }
state-a-worker = a worker
state-running = running on { $lane }{ $took }
state-woken-by-task = woken by { $task }
state-woken-by-itself = woken by itself
state-woken-by-driver = woken by the timer / I/O driver
state-woken-by-blocking = woken by the blocking pool
state-spawned = spawned
state-scheduled = scheduled ({ $by }), waiting for a worker{ $took }
state-answered = {""}, answered { $outcome }
state-ahead = {""} ({ $count } ahead)
http-refused = 429 Too Many Requests (refused)
http-failed = nothing: the request failed
http-not-yet = not yet
http-failed-mark = failed
recording-stopped = recording stopped (memory cap)
task-kind-async = async
task-kind-blocking = blocking (spawn_blocking)
task-kind-cpu-job = a CPU-pool job (cpu_pool_ms)

## States and waits

wait-http = in HTTP
wait-timer = sleeping
wait-permit = waiting for a permit
wait-join = waiting for joined work
wait-send = waiting to send
wait-recv = waiting to receive
wait-blocking = waiting for the blocking pool
wait-yield = yielded
wait-never = never woken
wait-io = waiting for I/O or a timer
wait-other = waiting
wait-result = waiting for a result
wait-cpu-pool = waiting for the CPU pool
count-running = running
count-scheduled = scheduled (waiting for a worker)
count-part = { $count } { $what }
counts-at = at { $at }: { $counts }
count-none-alive = none alive
list-separator = {", "}
group-by-state-at-end = by state when the run ends

## Details

steps = Steps
steps-marker = > marks where the task is at { $at } (the time under the pointer on the timeline)
steps-point = Point at the timeline to see where the task is at that time
step-line = line { $line }
details-hint = Click a poll on a worker lane, or a task row, to see its details.
details-not-in-run = The selected task is not in this run.
details-summary = { $polls } polls · { $wakes } wakes · busy { $busy }
fact-kind = kind
fact-spawned-at = spawned at
fact-spawn-time = spawn time
fact-parent = parent
fact-no-parent = none (spawned by the scenario)
fact-polls = polls
fact-wakes = wakes
fact-wakes-value = { $wakes } ({ $itself } by itself)
fact-migrations = migrations
fact-busy = busy
fact-longest-poll = longest poll
fact-scheduling-delay = scheduling delay
fact-mean-max = mean { $mean } · max { $max }
fact-outcome-at = { $outcome } at { $at }
fact-still-running = still running
fact-outcome = outcome
fact-no-message = (no message)
outcome-ok = ok
outcome-panicked = panicked
outcome-cancelled = cancelled
selected-poll = Selected poll
selected-poll-text = on { $lane } at { $at }, lasted { $duration }, ended { $ended }
selected-poll-pending = Pending (back to wait at an .await)
selected-poll-ready = Ready (the task finished)
woken-by-cpu-job = { $task }, on the CPU pool
woken-by-other-task = { $task } (another task)
woken-by-itself = itself, during its previous poll
woken-by-blocking-task = { $task } on the blocking pool
woken-by-blocking-thread = a blocking-pool thread
woken-by-driver = the timer / I/O driver
woken-by-spawn = its spawn
selected-poll-wake = woken by { $who } at { $at }, waited { $delay } in the queue, polled on { $lane }
spawned-by-heartbeat = asyncscope's heartbeat
spawned-by-scenario-line = the scenario: its first step, line { $line }
spawned-by-scenario = the scenario's run
outcome-shutdown = shutdown

## Comparison

cmp-wall-time = wall time
cmp-tasks = tasks
cmp-polls = polls
cmp-wakes = wakes
cmp-longest-poll = longest poll
cmp-slow-polls = slow polls (> 10 ms)
cmp-sched-p50 = sched delay p50
cmp-sched-p99 = sched delay p99
cmp-worker-busy = worker busy
cmp-heartbeat-p99 = heartbeat late p99
cmp-http-429 = HTTP 429s
cmp-peak-in-flight = peak in flight
cmp-state-running = running
cmp-state-scheduled = scheduled
cmp-group-row = { $group }: { $what }
mark-better = better than [1] by more than 10%
mark-worse = worse than [1] by more than 10%
mark-differs = differs from [1] by more than 10%
mark-same = within 10% (or the noise margin) of [1]
mark-baseline = the baseline
compare-highlight = Highlighted: differs from [1] by more than 10% and more than the noise margin; green better, red worse, amber different.
back-to-timeline = Back to the timeline
fit-longest-hover = Show the longest run whole
compare-zoom-hint = one time axis for all runs · 100 px = { $scale } · zoom: Ctrl+wheel or W/S · pan: drag, wheel or A/D
figures = Figures
compared-run = [{ $index }] { $name } · wall time { $wall }

## Replay, histograms, output

replay-pause = Pause
replay-play = Play
replay-keys-hover = Space: play or pause · Left/Right: step · Home/End
replay-speed = Speed
replay-speed-hover = Run time per real time: 0.01× shows 1 ms of the run in 100 ms
replay-whole-run-in = whole run in
replay-seconds-hover = Play the whole run over this many seconds (sets the speed)
replay-position = Position
replay-position-hover = Where the replay is in the run: drag to scrub
replay-at-of = { $at } of { $end }
replay-end = End replay
all-tasks = all tasks
task-group = task group
hist-poll-duration = poll duration
hist-poll-duration-hover = How long each poll ran (log-scale buckets)
hist-sched-delay = scheduling delay
hist-sched-delay-hover = Woken (or spawned) -> polled: time spent waiting for a worker
hist-values = { $count } values
gm-group = group
gm-tasks = tasks
gm-first-poll = first poll
gm-woken-polled = woken->polled
gm-poll = poll
gm-slow = slow
gm-hover = Means per task group from tokio-metrics' TaskMonitor: delay to the first poll, time from wake to poll, poll time, and the share of polls over 10 ms
output = Output
output-lines = { $count } { $count ->
    [one] line
   *[other] lines
    } printed · click one to find it

## Plots

series-busy = { $lane } busy
plot-scheduled = scheduled tasks
plot-scheduled-hover = Tasks woken (or spawned) and waiting for a worker to poll them, on average over each bin: the run queue as the trace saw it
series-scheduled = scheduled
plot-busy = busy % per worker
plot-busy-hover = Each worker lane's share of time in polls, from the lanes' own polls (exact at any zoom, binned at the view's resolution)
plot-heartbeat = heartbeat late (ms)
plot-heartbeat-hover = How late each heartbeat tick fired: the event loop's health (asyncio's slow-callback warning)
series-late = late
tokio-metrics-plots = tokio-metrics (sampled every 50 ms)
plot-tokio-busy = busy % per tokio worker
plot-tokio-busy-hover = tokio's metrics, per 50 ms, by tokio's own worker index (which thread is which worker-N lane, tokio does not say)
series-tokio-worker = tokio worker { $index }
plot-worker-busy = worker busy %
plot-worker-busy-hover = tokio-metrics, per 50 ms: busy time of all workers and of the busiest one
series-all-workers = all workers
series-busiest-worker = busiest worker
plot-queued = queued tasks
plot-queued-hover = tokio-metrics: tasks waiting in the global queue, the workers' local queues and for a blocking thread
series-global = global
series-local = local
series-blocking = blocking
plot-all-runs = {", all runs"}
plot-hover = { $help }
    Peak: { $peak }
plot-scale = scale { $scale }

## Shortcuts, export, tracks

keys-run = F5 or Ctrl+R
keys-run-what = Run the selected scenario
keys-stop = Shift+F5
keys-stop-what = Stop the run (the trace so far is kept)
keys-open = Ctrl+O
keys-open-what = Open a scenario or a recorded run
keys-save = Ctrl+S
keys-save-what = Save the run on screen
keys-export = Ctrl+E
keys-export-what = Export the view as SVG or PNG
keys-present = F11 or Ctrl+P
keys-present-what = Presentation mode: large, light, high contrast, side panels hidden
keys-theme = Ctrl+T
keys-theme-what = Light or dark theme
keys-size = Ctrl+Plus, Ctrl+Minus, Ctrl+0
keys-size-what = Bigger, smaller, normal size
keys-help = ?
keys-help-what = Show or hide these shortcuts
keys-escape = Esc
keys-escape-what = Close this window; leave presentation mode
keys-fit = F
keys-fit-what = Timeline: fit the whole run
keys-zoom = W, S or Ctrl+wheel
keys-zoom-what = Timeline: zoom in, out
keys-pan = A, D or drag
keys-pan-what = Timeline: pan left, right
keys-play = Space
keys-play-what = Replay: pause or play
keys-step = Left, Right
keys-step-what = Replay: step back or ahead 5%
keys-ends = Home, End
keys-ends-what = Replay: to the start, to the end
shortcuts-title = Keyboard shortcuts
export-title = Export
export-what = What to draw:
export-view-choice = Timeline view (as shown)
export-view-choice-hover = The timeline's range on screen, its lanes and tasks, as wide as the screen's
export-slide-choice = Slide (16:9)
export-slide-choice-hover = 1920×1080: the title, the lesson, the worker lanes, the resource tracks and the tasks, with a legend; text at 18 px or more
export-format = Format:
export-svg = SVG (vector)
export-png = PNG (2×)
export-no-dialog = No file dialog on this machine (neither the desktop portal nor zenity is installed).
export-choose-file = Choose file…
export-save-to = Save to { $folder }
export-save-to-hover = A new file there, named after the run (set ASYNCSCOPE_EXPORT_DIR to change the folder)
track-size-peak = { $size } · peak { $peak }
track-peak = peak { $peak }

## Dialogs and messages

dialog-failed-to-open = could not open the file dialog: { $error }
dialog-open = Open a scenario or a saved run
dialog-open-filter = asyncscope scenario or recorded run
dialog-trace-python = Trace a Python asyncio script
dialog-python-filter = Python script
dialog-save-run = Save the run
dialog-trace-filter = asyncscope trace
dialog-save-scenario = Save the edited scenario
dialog-scenario-filter = asyncscope scenario
dialog-export-view = Export the timeline view
dialog-export-slide = Export a slide (16:9)
no-such-scenario = no scenario `{ $name }` in { $dir }
run-going = A run is going: stop it first.
no-run-to-save = There is no run to save yet.
run-still-going = The run is still going: save it when it ends.
trace-unavailable = the trace is unavailable
could-not-save = Could not save to { $path }: { $error }
select-loading-scenario = Select a scenario that loads to save it.
saved-run = Saved the run to { $path }
saved-scenario = Saved the edited scenario to { $path }
dialog-failed = the file dialog failed
exported-view = Exported the view to { $path }
exported-slide = Exported a slide to { $path }
could-not-create = Could not create { $path }: { $error }
no-run-to-export = There is no run to export yet.
could-not-export = Could not export to { $path }: { $error }
no-longer-exists = { $path } no longer exists
sentence-scheduled = scheduled (woken, waiting for a worker)

## The CLI's summary

sum-scenario = scenario
sum-stopped-before-end = {"  (stopped before the end)"}
sum-wall-time = wall time
sum-cpu-jobs = {", "}{ $count } CPU-pool jobs
sum-tasks = tasks
sum-tasks-line = { $spawned } spawned ({ $blocking } on the blocking pool{ $cpu }): { $completed } completed, { $panicked } panicked, { $cancelled } cancelled, { $shutdown } at shutdown, { $unfinished } unfinished
sum-at-shutdown-note = (at shutdown: still alive when the runtime shut down, such as pooled HTTP connections; cancelled: aborted by the scenario)
sum-polls = polls
sum-polls-line = { $polls }   wakes { $wakes }
sum-longest = longest
sum-longest-line = { $ms } ms poll of `{ $task }` (task { $id }) on { $lane } at { $at } ms
sum-no-worker-polls = no worker polls
sum-slow-polls = slow polls
sum-slow-polls-line = { $count } over { $threshold } ms (a worker was blocked that long)
sum-sched-delay = sched delay
sum-sched-delay-line = p50 { $p50 } ms  p99 { $p99 } ms  max { $max } ms  (wake → poll, { $count } { $count ->
    [one] poll
   *[other] polls
})
sum-heartbeat-late = heartbeat late
sum-heartbeat-line = p50 { $p50 } ms  p99 { $p99 } ms  max { $max } ms  ({ $count } { $count ->
    [one] tick
   *[other] ticks
})
sum-http = http
sum-http-line = { $requests } { $requests ->
    [one] request
   *[other] requests
} ({ $statuses }), at most { $peak } in flight
sum-runtime = runtime
sum-runtime-line = busy { $mean }% mean, { $peak }% peak (busiest worker { $busiest }%); queues peak global { $global }, local { $local }, blocking { $blocking }; { $steals } { $steals ->
    [one] steal
   *[other] steals
}, { $parks } { $parks ->
    [one] park
   *[other] parks
} ({ $samples } { $samples ->
    [one] sample
   *[other] samples
} every { $interval } ms)
sum-busy-per-worker = busy per tokio worker: { $busy }
sum-group = group
sum-group-line = tasks  first poll after { $first } ms, woken→polled { $woken } ms, poll { $poll } ms, slow polls { $slow }%
sum-semaphore = semaphore
sum-semaphore-line = { $name }: at most { $held } of { $permits } permits held, at most { $waiting } { $waiting ->
    [one] task
   *[other] tasks
} waiting for one
sum-channel = channel
sum-channel-line = { $name }: at most { $queued } of { $capacity } messages queued
sum-blocking = blocking
sum-blocking-line = at most { $running } { $running ->
    [one] job
   *[other] jobs
} running, { $waiting } waiting for a thread
sum-task-time = task time (each group's tasks, spawn to end)
sum-task-time-line = { $name } ({ $tasks } { $tasks ->
    [one] task
   *[other] tasks
    }): { $sentence }
sum-lanes = lanes
sum-lane-line = { $polls } { $polls ->
    [one] poll
   *[other] polls
}  busy { $busy } ms
sum-lane-parked = parked { $parked } ms ({ $parks } { $parks ->
    [one] time
   *[other] times
})
sum-scheduler = scheduler
sum-scheduler-tokio = { $parks } { $parks ->
    [one] park
   *[other] parks
}, { $migrations } { $migrations ->
    [one] migration
   *[other] migrations
}, { $selfwakes } { $selfwakes ->
    [one] self-wake
   *[other] self-wakes
}; wakes by another task { $task }, by itself { $itself }, by the driver { $driver }, by the blocking pool { $pool }
sum-scheduler-asyncio = { $parks } { $parks ->
    [one] park
   *[other] parks
}, { $migrations } { $migrations ->
    [one] migration
   *[other] migrations
}, { $selfwakes } { $selfwakes ->
    [one] self-wake
   *[other] self-wakes
}; wakes by another task { $task }, by itself { $itself }, by the loop (I/O, timers) { $driver }, by the executor { $pool }
sum-panic-line = task { $id } `{ $name }`: { $message }
findings-heading = findings
sum-findings-none = none: nothing stalled, queued, repeated or was refused
finding-heading = finding
sum-finding-line = [{ $severity }] { $message } (at { $at } ms)
sum-why = why: { $cause }
sum-fix = fix: { $remedy }
sum-run-error = run error
sum-note = note
sum-events = events
sum-events-line = { $events } captured, { $dropped } dropped
sum-truncated = truncated
sum-truncated-line = at { $events } events: the memory cap (max_events) was reached and the rest of the run was not recorded
sum-dropped-note = (the capture channel was full: the trace is incomplete)
output-heading = output
sum-output-line = { $count } { $count ->
    [one] line
   *[other] lines
} printed
table-better = {" better"}
table-worse = {" worse"}
table-footnote = * differs from [1] by more than 10% (and more than the noise margin)
track-http = http in flight
track-blocking-pool = blocking pool
track-cpu-pool = cpu pool
track-semaphore = semaphore { $name }
track-channel = channel { $name }
track-group = group { $name }

## Predict, then reveal

predict-wall-ms = How long will the whole run take?
predict-peak-in-flight = How many requests will be in flight at once, at most?
predict-heartbeat-late-ms = How late will the heartbeat fire, at worst?
predict-http-429 = How many requests will the server refuse (HTTP 429)?
predict-permit-wait-pct = What share of the tasks' time goes to waiting for a permit?
predict-slow-polls = How many polls will hold a worker for over 10 ms?
predict-longest-poll-ms = How long will the longest poll hold its worker?
predict-card-title = Predict
predict-card-hint = Before Run: what does the room think? Type the guesses; the run will tell.
predict-your-guess = your guess
predict-not-a-number = Not a number: this guess is left out
reveal-title = Predicted vs. measured
reveal-guess = guess
reveal-not-measured = not measured
reveal-evidence = show
reveal-evidence-hover = Zoom the timeline to where this result shows
reveal-hide = New guesses
reveal-hide-hover = Back to the Predict card, for the next run
reveal-line = { $figure }: { $guess } -> { $actual }
sum-predicted = predicted
sum-reveal-line = { $figure }: guess { $guess }, measured { $actual }
cli-guess-no-predict = { $path } has no [predict] table: there is nothing to guess
cli-guess-not-asked = { $path } asks to predict { $asked }; `--guess { $figure }` is not one of them
cli-guess-twice = `--guess { $figure }` is given twice
figure-wall-ms = wall time
figure-peak-in-flight = peak in flight
figure-heartbeat-late-ms = heartbeat late
figure-http-429 = HTTP 429s
figure-permit-wait-pct = waiting for a permit
figure-slow-polls = slow polls
figure-longest-poll-ms = longest poll

## The scenario parser's errors

parse-did-you-mean = {"; did you mean `"}{ $name }{"`?"}
parse-unknown-key = unknown field `{ $name }`, expected { $expected }
parse-unknown-step = unknown variant `{ $name }`, expected { $expected }
parse-missing-key = missing field `{ $name }`
parse-toml = { $message }
parse-range = `{ $key }` must be between { $min } and { $max }{ $unit }, got { $got }
parse-empty = `{ $key }` must not be empty
parse-current-thread-workers = a current_thread runtime has exactly 1 worker, got `workers = { $workers }`
parse-result-name-empty = a result's name must not be empty
parse-result-words-empty = what a result holds must be said in words (not empty)
parse-no-task-groups = no task groups: add at least one `[[task]]` table with `name` and `steps`
parse-task-empty = `task` must hold at least one group
parse-group-name-empty = a task group's `name` must not be empty
parse-too-many-tasks = this scenario would spawn more than { $limit } tasks (counts multiplied through `spawn` and `repeat`); lower `count`, `times` or the spawn counts
parse-figures-empty = `figures` must name at least one figure to predict
parse-unknown-figure = `figures` has no figure `{ $name }`; expected one of: { $expected }{ $hint }
parse-figure-twice = `{ $name }` is listed twice in `figures`
parse-needs-heartbeat = a `[heartbeat]`
parse-needs-semaphore = a semaphore
parse-figure-needs = `{ $name }` needs { $what } in the scenario, which this one does not have
parse-expand-unknown = `expand` names no task group: `{ $name }` (groups: { $groups }){ $hint }
parse-unknown-track = `tracks` has no track `{ $name }`; expected one of: { $expected }{ $hint }
parse-too-deep = steps are nested more than { $depth } levels deep
parse-steps-empty = `steps` must hold at least one step
parse-duration = `{ $key }` must be at most { $max } ms (one hour), got { $got }
parse-blocking-path = `blocking_http_get` takes a path on the lab server, such as "/items" or "/items?ms=200" (no host, no spaces), got { $got }
parse-yield-true = `yield_now` must be `true` (remove the step otherwise)
parse-forget-true = `forget_wake` must be `true` (remove the step otherwise)
parse-unknown-semaphore = unknown semaphore `{ $name }`; declare it under [semaphores] (declared: { $declared }){ $hint }
parse-times = `times` must be between 1 and { $max }, got { $got }
parse-spawn-name = `spawn` needs a non-empty `name`
parse-spawn-count = spawn `count` must be between 1 and { $max }, got { $got }
parse-wait-after = `wait_after_ms` sleeps and then awaits the children; it cannot go with `wait = false` (drop one of them)
parse-abort-wait = `abort_after_ms` and `wait_after_ms` are two ends of one pause: give one of them
parse-timeout-limit = a `timeout` of { $ms } ms is longer than the scenario's `time_limit_s = { $limit }`: the run would be stopped first
parse-print = `print` takes one line of 1 to 200 characters, got { $count } characters{ $newline }
parse-print-newline = {" with a line break"}
parse-recv-ready = `recv_ready` must be between 1 and { $max }, got { $got }
parse-unknown-channel = `{ $key }`: unknown channel `{ $name }`; declare it under [channels] with its capacity (declared: { $declared }){ $hint }
parse-channel-count = `{ $key }` `count` must be between 1 and { $max }, got { $got }
parse-channel-starves = channel `{ $name }`: the tasks receive { $recvs } messages in all (counts multiplied through `count`, `repeat` and `spawn`) but only { $sends } are ever sent, so a receiver would wait forever
parse-channel-blocks = channel `{ $name }`: the tasks send { $sends } messages in all but only { $recvs } are ever received and { $capacity } fit in the channel, so a sender would wait forever
parse-unknown-result = unknown result `{ $name }`; declare it under [results] (declared: { $declared }){ $hint }
parse-result-never-set = result `{ $name }` is awaited but never set (no `set_result = "{ $name }"`), so its awaiters would wait forever
parse-result-set-twice = result `{ $name }` is set { $sets } times (counts multiplied through `count`, `repeat` and `spawn`); a one-shot result is set once
parse-http-url = `http_get` needs a path on the lab server ("/items") or an http URL; `{ $url }` is neither ({ $error })
parse-http-only = `http_get` supports http:// only (this build has no TLS), got `{ $url }`
parse-not-local = `{ $url }` is not on this machine; scenarios talk to the embedded lab server (use a path like "/items"), or set `allow_external = true` at the top
parse-join-two = `join` needs at least two step lists to run together
parse-race-two = `race` needs at least two step lists to race
parse-declared-none = none
scenario-unreadable = { $path }: cannot read the scenario: { $error }
cli-error = error: { $message }
delta-points = { $delta } pts
delta-new = new

## asyncio's run notes

asyncio-note-workers = [runtime] multi_thread with { $workers } { $workers ->
    [one] worker
   *[other] workers
    }: asyncio has no worker pool and no work stealing; every task runs on the one event-loop thread.
asyncio-note-executor = [runtime] max_blocking_threads = { $threads }: the executor's max_workers (run_in_executor's ThreadPoolExecutor).
asyncio-note-offload-cpu = offload_cpu_ms runs Python code on an executor thread: it shares the GIL with the event loop, which waits its turn (up to sys.getswitchinterval(), 5 ms, at a time) to run each step.
asyncio-note-cpu-pool = cpu_pool_ms runs on a ProcessPoolExecutor(max_workers={ $threads }) started before the loop: processes, since threads would share the GIL with the loop.
asyncio-note-join = join is asyncio.gather, which wraps each branch in a Task of its own: here the branches are tasks (tokio's join polls them inside the one task).
asyncio-note-recv-ready = recv_ready: asyncio has no cooperative budget (tokio's coop), so a get from a queue that is ready never yields to the loop.

## Slides

slide-http-200 = request answered 200
slide-http-429 = request refused (429)
slide-http-other = request answered otherwise
slide-http-error = request failed
slide-http-cancelled = request cancelled
slide-permit-held = permit held
slide-permit-waiting = task waiting for a permit
slide-message-queued = message queued
slide-blocking-running = job running on the blocking pool
slide-blocking-waiting = job waiting for a pool thread
slide-cpu-running = job running on the CPU pool
slide-cpu-waiting = job queued for a CPU-pool thread
slide-run-facts = { $wall } run · { $workers } worker { $workers ->
    [one] thread
   *[other] threads
    }
slide-blocking-threads = {" + "}{ $count } on the blocking pool
slide-cpu-threads = {" + "}{ $count } on the CPU pool
slide-tasks = {" · "}{ $count } tasks
slide-showing = showing { $from } to { $to }
slide-permits-peak = { $permits } permits · peak { $peak }
slide-capacity-peak = capacity { $capacity } · peak { $peak }
slide-group-tasks = { $count } { $count ->
    [one] task
   *[other] tasks
    }
slide-group-by-state = { $count } { $count ->
    [one] task
   *[other] tasks
    } by state
slide-group-running = { $group } running
slide-end-mark = end mark: the poll that finished its task
slide-parked = worker parked (asleep)
slide-refused = request refused (429) or failed

## SVG exports

svg-on-runtime = on { $runtime }{" · "}
svg-subtitle = { $on }wall time { $wall } · showing { $from } to { $to } · { $polls } polls on { $threads } threads
svg-comparison-title = Comparison: { $names }
svg-comparison-subtitle = one time axis · showing { $from } to { $to } · highlighted: differs from [1] by more than 10%
