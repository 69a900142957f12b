# asyncscope 的中文文字。每个 id 一条消息；代码用 t!() 引用。
# 与 en.ftl 的 id 和参数完全相同（有测试检查）。

## 主窗口

run = 运行
run-hover = 运行这个场景（F5）
stop = 停止
run-selected = 运行选中的场景
presented-scenario-hover = 要运行的场景：可在这里换一个
leave-presentation = 退出（F11）
leave-presentation-hover = 退出演示模式，回到各面板（F11、Ctrl+P 或 Esc）
language-hover = 用这种语言显示窗口的文字、场景的名称和课程
plots = 曲线
plots-hover = 在泳道下显示曲线（忙碌 %、已调度任务、心跳）
legend = 图例
legend-hover = 在底部显示图例
no-run-yet = 还没有运行。
status-running = 运行中 · { $elapsed }
status-finished = 已结束 · 总耗时 { $wall }
status-stopped = 在 { $wall } 后停止 · 已保留到此为止的轨迹
status-failed = 失败：{ $error }
other-scenario-note = 屏幕上是“{ $shown }”的第 { $run } 次运行，不是选中的“{ $selected }”。
show-scenario-panel = 显示场景面板
show-details-panel = 显示诊断和详情
findings-folded = { $count } 条诊断：点 « 查看
hide-left = « 隐藏
hide-left-hover = 隐藏场景面板（时间线占满宽度）
hide-right = 隐藏 »
hide-right-hover = 隐藏诊断和详情（时间线占满宽度）
histograms = 直方图
task-groups = 任务组（tokio-metrics）
details = 详情
finishing-run = 正在收尾：排序并解析 { $events } 个事件…
select-and-run = 在左侧选一个场景，然后点“运行”。
drop-hint = 拖放场景（.toml）或录制的运行（.ascope、.json）即可打开

## 诊断面板

findings = 诊断
findings-when-run-ends = 运行结束时计算。
findings-none = 无：没有停顿、排队、重复或被拒绝的情况。
run-error = 运行错误：{ $error }
run-note = 注：{ $note }
severity-error = 错误
severity-warning = 警告
severity-info = 提示
finding-hover = 原因：{ $cause }
    办法：{ $remedy }
    （点击：在时间线上显示）
finding-fix = 办法：{ $remedy }

## 诊断内容（JSON 摘要保留英文）

finding-sentence = { $what }{ $details }。
finding-oversubscribed = { $workers } 个工作线程跑在 { $cpus } 个 CPU 上：操作系统会在轮询中途暂停工作线程，所以轮询和调度延迟可能显得比其中的工作更长
finding-oversubscribed-cause = 轮询的长度是墙钟时间：操作系统让另一个工作线程占用 CPU 时，被暂停的那个轮询仍在计时。
finding-oversubscribed-remedy = 看慢轮询时要考虑这一点；或者让工作线程不多于 CPU 数（`workers = { $cpus }`），只看工作本身。
finding-truncated = 记录在 { $events } 个事件处停止，即运行的第 { $at }（内存上限）；另有 { $dropped } 个事件没有记录
finding-truncated-cause = 事件数超过 `max_events` 的运行只记录到上限，这样内存有界；之后发生的事不在时间线上。
finding-truncated-remedy = 在场景里调高 `max_events`（或用 `--max-events`），或把场景缩小；截断时仍在等待的任务不算丢失的唤醒。
finding-at-code = 在 { $code }
finding-in-step-line = 在步骤 `{ $step }`（第 { $line } 行）
finding-in-step = 在步骤 `{ $step }`
finding-never-yielded = 任务 `{ $task }` #{ $id } 从未让出：它整个生命周期都在 { $lane } 上的一次 { $duration } 轮询里
finding-slow-poll = 任务 `{ $task }` #{ $id } 在一次轮询里占用 { $lane } 长达 { $duration }（预算 { $budget }）
finding-detail-step = ，{ $step }
finding-detail-gil = ；同时执行器线程在运行 Python 代码，占着 GIL
finding-detail-slow-callback = （asyncio 称之为慢回调：调试模式下超过 loop.slow_callback_duration 即 100 ms 会记入日志）
finding-detail-waited = ；{ $count } 个被唤醒的任务排在它后面等待，最长 { $longest }
finding-detail-heartbeat = ；心跳最多晚了 { $late }
finding-detail-oversubscribed = （{ $workers } 个工作线程跑在 { $cpus } 个 CPU 上：其中一部分可能是操作系统暂停了该线程）
finding-slow-poll-cause = 一次轮询会一直运行，直到任务遇到一个还没就绪的 .await：里面的 CPU 计算或阻塞调用会让工作线程无法轮询其他任何任务。
finding-slow-poll-remedy = 把这份工作移到阻塞线程池（tokio::task::spawn_blocking，相当于 Python 的 run_in_executor）或 CPU 线程池，再 await 它的结果。
finding-slow-poll-asyncio-cause = 协程的一步会一直运行，直到遇到一个还没就绪的 await：里面的 CPU 计算或阻塞调用（time.sleep、requests.get）会让事件循环无法运行其他任务或回调。
finding-slow-poll-asyncio-remedy = 用 await loop.run_in_executor(None, f)（或 asyncio.to_thread）把阻塞调用移出事件循环，CPU 计算交给 ProcessPoolExecutor：线程和事件循环共用 GIL。
finding-slow-poll-blocking-http-cause = 阻塞式 HTTP 客户端在轮询里等待响应（就像在协程里调用 requests.get()）：工作线程睡在 read() 里，服务器回复之前不轮询任何别的任务。
finding-slow-poll-blocking-http-remedy = 改用异步客户端并 .await 请求（这里是 reqwest；Python 里是 aiohttp 或 httpx）；只有阻塞客户端的库要放到阻塞线程池（spawn_blocking、run_in_executor）。
finding-shared-gil = 心跳最多晚了 { $late }（{ $ticks } 次超过 { $budget }），同时 { $threads } 个执行器线程在运行 Python CPU 计算{ $step }：它们占着事件循环需要的 GIL
finding-gil-step = {""} `{ $step }`（第 { $line } 行）
finding-shared-gil-cause = CPython 一次只运行一个线程的 Python 代码（GIL）：run_in_executor 把 CPU 计算移出了事件循环的线程，却没有移出 GIL，所以事件循环每一步都要排队等候（sys.getswitchinterval()，5 ms），每个定时器都会迟到。
finding-shared-gil-remedy = 把 CPU 密集的 Python 工作交给 ProcessPoolExecutor（loop.run_in_executor(pool, f)；即 cpu_pool_ms 步骤），或交给会释放 GIL 的代码；线程留给阻塞 I/O，它在等待时会释放 GIL。
finding-blocking-saturated = { $jobs } 个卸载的任务在等阻塞线程，最长 { $wait }（`{ $task }` #{ $id }）；全部 { $threads } 个阻塞线程都在忙
finding-blocking-saturated-cause = 阻塞线程池的每个线程都在忙时，spawn_blocking 会让工作排队（max_blocking_threads）。
finding-blocking-saturated-remedy = 如果这份工作阻塞在 I/O 上，就调高 max_blocking_threads；如果是 CPU 计算，改用按核心数配置的专用线程池（例如 rayon）。
finding-executor-saturated = { $jobs } 个卸载的任务在等执行器线程，最长 { $wait }（`{ $task }` #{ $id }）；全部 { $threads } 个执行器线程都在忙
finding-executor-saturated-cause = 执行器的每个线程都在忙时，run_in_executor 会让工作排队（ThreadPoolExecutor 的 max_workers；场景里的 max_blocking_threads）。
finding-executor-saturated-remedy = 如果这份工作阻塞在 I/O 上，就给执行器更多线程；如果是 CPU 计算，改用按核心数配置的 ProcessPoolExecutor。
finding-task-fallback = 任务 { $id }
finding-sequential-awaits = 任务 `{ $task }` #{ $id } 一个接一个地 await 了 { $requests } 个请求：共等待 { $waited }，占运行的 { $share }%；并发执行的话大约只要 { $overlapped }
finding-sequential-awaits-cause = 每个 .await 都要等一个响应回来才发出下一个请求，所以延迟会累加。
finding-sequential-awaits-remedy = 把互不依赖的请求一起发出（join_all，或每个请求 spawn 一个任务），再一起 await；用信号量限制并发数。
finding-rate-limited = { $requests } 个请求中有 { $refused } 个被拒绝（429 Too Many Requests）；同时在途的请求最多 { $peak } 个
finding-rate-limited-cause = 客户端发请求的速度超过了服务器的限流。
finding-rate-limited-remedy = 用 Semaphore 限制并发，并控制请求节奏（或遵守 Retry-After，退避重试）。
finding-lost-wakeup = 任务 `{ $task }` #{ $id } 在 { $at } 回去等待，之后再也没有被唤醒（直到运行时关闭还有 { $waited }）
finding-lost-wakeup-cause = 一个 future 返回了 Pending 却没有安排唤醒（它的 waker 被丢弃或从未注册），所以任务会永远挂起。
finding-lost-wakeup-remedy = 确保每个 Pending 都注册了一个之后会被调用的 waker；优先用 tokio 的原语，而不是手写的 future。
