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

## 图例

legend-wait-http = 等待 HTTP
legend-wait-timer = 等待定时器（sleep）
legend-wait-permit = 等待信号量许可
legend-wait-join = 等待 join 的工作 / 子任务
legend-wait-send = 等待发送空间
legend-wait-recv = 等待消息
legend-wait-blocking = 等待阻塞线程池
legend-wait-cpu-pool = 等待 CPU 线程池
legend-wait-result = 等待另一个任务设置的结果
legend-wait-yield = 让出（yield）之后
legend-wait-never = 等待永远不会来的唤醒
legend-wait-io = 等待 I/O（库的任务）
legend-poll = 轮询（颜色 = 任务组）
legend-ready = 末端标记 = Ready：任务在这次轮询中完成；无标记 = Pending：回到某个 .await 继续等待
legend-scheduled = 已调度：已被唤醒，等待工作线程
legend-dimmed = 变暗：多个轮询挤在一个像素内（放大查看）
legend-parked = 工作线程休眠：没有可运行的任务
legend-runtime-work = 工作线程在两次轮询之间：运行时自己的工作（查找、窃取、定时器、I/O）
legend-worker-strip = 任务轮询下方：运行它的工作线程（颜色按线程名）；竖线：任务换到了另一个工作线程
legend-spawned = 已创建（spawn）
legend-completed = 已完成
legend-panicked = 已 panic
legend-wake-arrow = 唤醒 -> 它引起的轮询（悬停或选中任务）
legend-waiting = 在 .await 处等待
legend-refused = HTTP 等待下方的红条：请求被拒绝（429）或失败
legend-print = 任务打印的一行（列在“输出”里；点击可定位）
legend-cancelled = 已取消：被场景中止（灰色小 x：关闭时仍存活）

## 场景面板

scenarios = 场景
language-english-hover = 窗口文字、场景名称和课程用英文显示
language-chinese-hover = 窗口文字、场景名称和课程用中文显示（场景文件有中文时）
open = 打开…
open-hover = 打开场景（.toml）或录制的运行（Ctrl+O；也可以把文件拖到窗口上）
trace-python = 追踪 Python 脚本…
trace-python-hover = 在插桩的事件循环上运行 asyncio 程序（.py）并实时观察（也可以把它拖到窗口上）。实验服务器同时运行，地址在 ASYNCSCOPE_LAB_URL 里
recent = 最近
run-fresh-hover = 在一个全新的运行时上运行选中的场景
on-tokio = 在 tokio 上
on-asyncio = 在 asyncio 上
runtime-hover = “运行”使用的运行时：tokio，或 CPython 的 asyncio（点击切换）
run-both = 两边都运行
run-both-hover = 先在 tokio 上运行，再在 asyncio 上运行，然后比较两次运行
stop-hover = 停止运行；保留到此为止的轨迹
export-view = 导出视图…
export-view-hover = 把看到的时间线保存为 SVG 或 PNG，用于幻灯片（Ctrl+E）
events-captured = 已捕获 { $events } 个事件，丢弃 { $dropped } 个
truncated-status = 在 { $events } 个事件处截断：达到内存上限（max_events），运行的其余部分没有记录
dropped-status = 有事件被丢弃（捕获通道已满）：轨迹不完整
select-scenario = 请选择一个场景。
no-chinese-about = （这个文件没有中文说明：about_zh）
on-asyncio-heading = 在 asyncio 上会怎样
allow-external-warning = allow_external = true：这个场景可能向 127.0.0.1 以外发送请求
fact-runtime = 运行时
fact-current-thread = current_thread（单线程）
fact-multi-thread = multi_thread，{ $workers } 个工作线程
fact-network = 网络
fact-network-external = 允许外部地址（allow_external = true）
fact-network-local = 只访问 127.0.0.1（实验服务器）
fact-blocking-pool = 阻塞线程池
fact-blocking-threads = 最多 { $threads } 个线程
fact-rate-limit = {""}，超过 { $rate }/s 返回 429
fact-lab-server = 实验服务器
fact-heartbeat = 心跳
fact-every = 每 { $ms } ms
fact-semaphore = 信号量
fact-permits = { $name }：{ $permits } 个许可
fact-channel = 通道
fact-room = { $name }：可容纳 { $capacity } 条消息
fact-cpu-pool = CPU 线程池
fact-cpu-threads = { $threads } 个线程（cpu_threads）
fact-result = 结果
fact-set-once = { $name }：{ $what }（只设置一次）
fact-spawn-interval = {""}（每 { $ms } ms 一个）
fact-task-group = 任务 `{ $name }`
step-blocking-get = 阻塞 GET { $url }（在轮询里）
step-sleep = sleep { $ms } ms
step-cpu = CPU { $ms } ms
step-block = 阻塞 { $ms } ms
step-offload-cpu = 卸载 CPU { $ms } ms
step-offload-block = 卸载阻塞 { $ms } ms
step-cpu-pool = 在 CPU 线程池上 CPU { $ms } ms
step-yield = 让出（yield）
step-forget-wake = 忘掉自己的唤醒（挂起）
step-permit = 持有 { $semaphore } 许可 [{ $steps }]
step-join = join [{ $branches }]
step-spawn-await = spawn { $count } 个 `{ $name }` [{ $steps }]，sleep { $ms } ms，再 await 它们
step-spawn-abort = spawn { $count } 个 `{ $name }` [{ $steps }]，{ $ms } ms 后中止它们
step-spawn = spawn { $count } 个 `{ $name }` [{ $steps }]
step-timeout = { $ms } ms 内 [{ $steps }]，否则丢弃
step-race = 竞速 [{ $branches }]，先完成者胜
step-lazy = 构建 [{ $steps }]，{ $ms } ms 后再 await
step-set-result = 设置结果 `{ $name }`
step-await-result = await 结果 `{ $name }`
step-recv-ready = 接收 { $count } 条已就绪的消息
step-send = 向 `{ $channel }` 发送 { $count } 条
step-recv = 从 `{ $channel }` 接收 { $count } 条
knob-in-file = 文件里是 { $value }
parameters = 参数
parameters-hint = 调整参数后点“运行”：这次运行会使用这些值。
as-in-file = 与文件相同。
changed = 已修改：{ $changes }
reset = 重置
reset-hover = 恢复为文件里的值
save-as = 另存为…
save-as-hover = 把修改后的场景写入新的 TOML 文件（保留注释和排版）
console-hover = 在 127.0.0.1 上把每次运行提供给 tokio-console（console-subscriber）
port-prefix = 端口 {""}
console-serving = 正在提供最新一次运行：tokio-console http://{ $addr }
console-next = 下一次运行将在 127.0.0.1:{ $port } 上提供

## 运行记录

runs = 运行记录
no-runs-yet = 还没有运行。
run-status-running = 运行中
run-status-done = 完成
run-status-stopped = 已停止
run-status-failed = 失败
pick-run-hover = 选这次运行参与比较（第一个勾选的是基线）
delete = 删除
delete-hover = 删掉这次运行
opened-from-file = 从文件打开
compare-button = 比较（{ $count }）
compare-hover = 把勾选的运行叠放在同一条时间轴上，并附数据表
run-name = 名称
run-name-hover = 重命名屏幕上的这次运行
save-run = 保存运行…
save-run-hover = 把屏幕上的运行保存为轨迹文件（.ascope），以后再打开

## 时间线

lane-shares-worker = 忙碌 { $busy }% · 休眠 { $parked }% · 其他 { $other }%
lane-shares = 忙碌 { $busy }%
catching-up = 建模中：落后运行 { $behind }
    （每个事件都会保留；运行结束时会追上）
replay = 回放
replay-hover = 慢速回放这次运行，像实时那样逐步展开
follow-live = 跟随实时
follow-live-hover = 运行进行时，让最新的时间保持在视图里
fit = 适应（F）
fit-hover = 显示整个运行
zoom-hint = 100 px = { $scale } · 缩放：Ctrl+滚轮 或 W/S · 平移：拖动、滚轮 或 A/D
lane-worker-hover = 工作线程：每一条是任务的一次轮询。低矮的蓝条：休眠（没有可运行的任务）。细线：两次轮询之间运行时自己的工作（查找、窃取、驱动定时器和 I/O）
lane-blocking-hover = 阻塞线程池的线程：每一条是一个 spawn_blocking 闭包
lane-cpu-hover = 场景 CPU 线程池的线程：每一条是一个 cpu_pool_ms 作业
live-poll-hover = { $task } #{ $id }：已轮询 { $duration }，仍在继续
no-polls-yet = 还没有轮询：请点“运行”。
poll-tooltip = 在 { $lane } 上的轮询，开始于 { $at }，持续 { $duration }
poll-ended-pending = 以 Pending 结束：回到某个 .await 继续等待
poll-ended-ready = 以 Ready 结束：任务在这次轮询中完成
poll-click-hint = 单击：选中 · 双击：放大到它
group-counted-at-end = 运行结束时按状态统计
state-at-code = {""} 在 { $code }
state-step-line = ：`{ $step }`（第 { $line } 行）
state-step = ：`{ $step }`
state-took = ，持续 { $duration }
state-a-worker = 某个工作线程
state-running = 在 { $lane } 上运行{ $took }
state-woken-by-task = 被 { $task } 唤醒
state-woken-by-itself = 被自己唤醒
state-woken-by-driver = 被定时器 / I/O 驱动唤醒
state-woken-by-blocking = 被阻塞线程池唤醒
state-spawned = 刚创建
state-scheduled = 已调度（{ $by }），等待工作线程{ $took }
state-answered = ，响应：{ $outcome }
state-ahead = （前面还有 { $count } 个）
http-refused = 429 Too Many Requests（被拒绝）
http-failed = 没有响应：请求失败
http-not-yet = 还没有
http-failed-mark = 失败
recording-stopped = 记录已停止（内存上限）
task-kind-async = 异步（async）
task-kind-blocking = 阻塞（spawn_blocking）
task-kind-cpu-job = CPU 线程池作业（cpu_pool_ms）

## 状态和等待

wait-http = 在等 HTTP
wait-timer = 在休眠
wait-permit = 在等许可
wait-join = 在等 join 的工作
wait-send = 在等发送
wait-recv = 在等接收
wait-blocking = 在等阻塞线程池
wait-yield = 已让出
wait-never = 从未被唤醒
wait-io = 在等 I/O 或定时器
wait-other = 在等待
wait-result = 在等结果
wait-cpu-pool = 在等 CPU 线程池
count-running = 在运行
count-scheduled = 已调度（等待工作线程）
count-part = { $count } 个{ $what }
counts-at = 在 { $at }：{ $counts }
count-none-alive = 没有存活的任务
list-separator = {"，"}
group-by-state-at-end = 运行结束时按状态统计

## 详情

steps = 步骤
steps-marker = > 标出任务在 { $at } 时所在的位置（时间线上指针所指的时间）
steps-point = 把指针指向时间线，查看任务在那一刻的位置
step-line = 第 { $line } 行
details-hint = 点击工作线程泳道上的某次轮询，或某个任务行，查看详情。
details-not-in-run = 选中的任务不在这次运行里。
details-summary = { $polls } 次轮询 · { $wakes } 次唤醒 · 忙碌 { $busy }
fact-kind = 类型
fact-spawned-at = 创建位置
fact-spawn-time = 创建时间
fact-parent = 父任务
fact-no-parent = 无（由场景创建）
fact-polls = 轮询
fact-wakes = 唤醒
fact-wakes-value = { $wakes }（其中自己唤醒 { $itself } 次）
fact-migrations = 迁移
fact-busy = 忙碌
fact-longest-poll = 最长轮询
fact-scheduling-delay = 调度延迟
fact-mean-max = 平均 { $mean } · 最大 { $max }
fact-outcome-at = { $at } 时{ $outcome }
fact-still-running = 仍在运行
fact-outcome = 结果
fact-no-message = （没有消息）
outcome-ok = 正常完成
outcome-panicked = panic
outcome-cancelled = 被取消
selected-poll = 选中的轮询
selected-poll-text = 在 { $lane } 上，开始于 { $at }，持续 { $duration }，以 { $ended } 结束
selected-poll-pending = Pending（回到某个 .await 等待）
selected-poll-ready = Ready（任务完成）
woken-by-cpu-job = { $task }（在 CPU 线程池上）
woken-by-other-task = { $task }（另一个任务）
woken-by-itself = 它自己，在上一次轮询中
woken-by-blocking-task = 阻塞线程池上的 { $task }
woken-by-blocking-thread = 一个阻塞线程池线程
woken-by-driver = 定时器 / I/O 驱动
woken-by-spawn = 它的创建（spawn）
selected-poll-wake = 在 { $at } 被 { $who } 唤醒，在队列里等了 { $delay }，在 { $lane } 上轮询
spawned-by-heartbeat = asyncscope 的心跳
spawned-by-scenario-line = 场景：它的第一步，第 { $line } 行
spawned-by-scenario = 场景的运行
outcome-shutdown = 关闭时被丢弃

## 比较

cmp-wall-time = 总耗时
cmp-tasks = 任务数
cmp-polls = 轮询数
cmp-wakes = 唤醒数
cmp-longest-poll = 最长轮询
cmp-slow-polls = 慢轮询（> 10 ms）
cmp-sched-p50 = 调度延迟 p50
cmp-sched-p99 = 调度延迟 p99
cmp-worker-busy = 工作线程忙碌
cmp-heartbeat-p99 = 心跳延迟 p99
cmp-http-429 = HTTP 429 次数
cmp-peak-in-flight = 在途请求峰值
cmp-state-running = 在运行
cmp-state-scheduled = 已调度
cmp-group-row = { $group }：{ $what }
mark-better = 比 [1] 好 10% 以上
mark-worse = 比 [1] 差 10% 以上
mark-differs = 与 [1] 相差 10% 以上
mark-same = 与 [1] 相差在 10%（或噪声范围）以内
mark-baseline = 基线
compare-highlight = 高亮：与 [1] 相差超过 10% 且超过噪声范围；绿色更好，红色更差，琥珀色表示不同。
back-to-timeline = 返回时间线
fit-longest-hover = 完整显示最长的一次运行
compare-zoom-hint = 所有运行共用一条时间轴 · 100 px = { $scale } · 缩放：Ctrl+滚轮 或 W/S · 平移：拖动、滚轮 或 A/D
figures = 数据
compared-run = [{ $index }] { $name } · 总耗时 { $wall }

## 回放、直方图、输出

replay-pause = 暂停
replay-play = 播放
replay-keys-hover = 空格：播放或暂停 · 左/右：单步 · Home/End
replay-speed = 速度
replay-speed-hover = 运行时间与真实时间之比：0.01× 用 100 ms 展示运行中的 1 ms
replay-whole-run-in = 整个运行用时
replay-seconds-hover = 用这么多秒播放整个运行（会设置速度）
replay-position = 位置
replay-position-hover = 回放在运行中的位置：拖动可跳转
replay-at-of = { $at } / { $end }
replay-end = 结束回放
all-tasks = 所有任务
task-group = 任务组
hist-poll-duration = 轮询时长
hist-poll-duration-hover = 每次轮询运行了多久（对数刻度分桶）
hist-sched-delay = 调度延迟
hist-sched-delay-hover = 被唤醒（或创建）-> 被轮询：等待工作线程的时间
hist-values = { $count } 个值
gm-group = 组
gm-tasks = 任务
gm-first-poll = 首次轮询
gm-woken-polled = 唤醒->轮询
gm-poll = 轮询
gm-slow = 慢
gm-hover = 来自 tokio-metrics TaskMonitor 的各任务组均值：到首次轮询的延迟、从唤醒到轮询的时间、轮询时间，以及超过 10 ms 的轮询占比
output = 输出
output-lines = 打印了 { $count } 行 · 点击一行可定位

## 曲线

series-busy = { $lane } 忙碌
plot-scheduled = 已调度任务
plot-scheduled-hover = 已被唤醒（或创建）、等待工作线程轮询的任务数，按每个分箱平均：轨迹所见的运行队列
series-scheduled = 已调度
plot-busy = 各工作线程忙碌 %
plot-busy-hover = 每条工作线程泳道用于轮询的时间占比，由泳道自己的轮询算出（任何缩放下都精确，按视图分辨率分箱）
plot-heartbeat = 心跳延迟（ms）
plot-heartbeat-hover = 每次心跳晚了多久：事件循环的健康状况（相当于 asyncio 的慢回调警告）
series-late = 延迟
tokio-metrics-plots = tokio-metrics（每 50 ms 采样）
plot-tokio-busy = 各 tokio 工作线程忙碌 %
plot-tokio-busy-hover = tokio 的指标，每 50 ms，按 tokio 自己的工作线程编号（哪个线程对应哪条 worker-N 泳道，tokio 不提供）
series-tokio-worker = tokio 工作线程 { $index }
plot-worker-busy = 工作线程忙碌 %
plot-worker-busy-hover = tokio-metrics，每 50 ms：所有工作线程和最忙那个的忙碌时间
series-all-workers = 所有工作线程
series-busiest-worker = 最忙的工作线程
plot-queued = 排队任务
plot-queued-hover = tokio-metrics：在全局队列、各工作线程本地队列中等待，以及等待阻塞线程的任务
series-global = 全局
series-local = 本地
series-blocking = 阻塞
plot-all-runs = {"，所有运行"}
plot-hover = { $help }
    峰值：{ $peak }
plot-scale = 刻度 { $scale }

## 快捷键、导出、资源轨道

keys-run = F5 或 Ctrl+R
keys-run-what = 运行选中的场景
keys-stop = Shift+F5
keys-stop-what = 停止运行（保留到此为止的轨迹）
keys-open = Ctrl+O
keys-open-what = 打开场景或录制的运行
keys-save = Ctrl+S
keys-save-what = 保存屏幕上的运行
keys-export = Ctrl+E
keys-export-what = 把视图导出为 SVG 或 PNG
keys-present = F11 或 Ctrl+P
keys-present-what = 演示模式：大字、浅色、高对比度，隐藏侧边面板
keys-theme = Ctrl+T
keys-theme-what = 浅色或深色主题
keys-size = Ctrl+加号、Ctrl+减号、Ctrl+0
keys-size-what = 放大、缩小、正常大小
keys-help = ?
keys-help-what = 显示或隐藏这些快捷键
keys-escape = Esc
keys-escape-what = 关闭这个窗口；退出演示模式
keys-fit = F
keys-fit-what = 时间线：显示整个运行
keys-zoom = W、S 或 Ctrl+滚轮
keys-zoom-what = 时间线：放大、缩小
keys-pan = A、D 或拖动
keys-pan-what = 时间线：向左、向右平移
keys-play = 空格
keys-play-what = 回放：暂停或播放
keys-step = 左、右
keys-step-what = 回放：后退或前进 5%
keys-ends = Home、End
keys-ends-what = 回放：到开头、到结尾
shortcuts-title = 键盘快捷键
export-title = 导出
export-what = 要画什么：
export-view-choice = 时间线视图（所见即所得）
export-view-choice-hover = 屏幕上时间线的范围、泳道和任务，宽度与屏幕相同
export-slide-choice = 幻灯片（16:9）
export-slide-choice-hover = 1920×1080：标题、课程、工作线程泳道、资源轨道和任务，带图例；文字不小于 18 px
export-format = 格式：
export-svg = SVG（矢量）
export-png = PNG（2×）
export-no-dialog = 这台机器上没有文件对话框（既没有安装桌面门户，也没有安装 zenity）。
export-choose-file = 选择文件…
export-save-to = 保存到 { $folder }
export-save-to-hover = 在那里新建一个以运行命名的文件（设置 ASYNCSCOPE_EXPORT_DIR 可更换文件夹）
track-size-peak = { $size } · 峰值 { $peak }
track-peak = 峰值 { $peak }

## 对话框和消息

dialog-failed-to-open = 无法打开文件对话框：{ $error }
dialog-open = 打开场景或保存的运行
dialog-open-filter = asyncscope 场景或录制的运行
dialog-trace-python = 追踪 Python asyncio 脚本
dialog-python-filter = Python 脚本
dialog-save-run = 保存运行
dialog-trace-filter = asyncscope 轨迹
dialog-save-scenario = 保存修改后的场景
dialog-scenario-filter = asyncscope 场景
dialog-export-view = 导出时间线视图
dialog-export-slide = 导出幻灯片（16:9）
no-such-scenario = { $dir } 里没有场景 `{ $name }`
run-going = 有运行正在进行：请先停止它。
no-run-to-save = 还没有可保存的运行。
run-still-going = 运行仍在进行：结束后再保存。
trace-unavailable = 轨迹不可用
could-not-save = 无法保存到 { $path }：{ $error }
select-loading-scenario = 请选择一个能加载的场景再保存。
saved-run = 已把运行保存到 { $path }
saved-scenario = 已把修改后的场景保存到 { $path }
dialog-failed = 文件对话框出错
exported-view = 已把视图导出到 { $path }
exported-slide = 已把幻灯片导出到 { $path }
could-not-create = 无法创建 { $path }：{ $error }
no-run-to-export = 还没有可导出的运行。
could-not-export = 无法导出到 { $path }：{ $error }
no-longer-exists = { $path } 已不存在
sentence-scheduled = 已调度（已被唤醒，等待工作线程）

## 命令行摘要

sum-scenario = 场景
sum-stopped-before-end = {"  （在结束前停止）"}
sum-wall-time = 总耗时
sum-cpu-jobs = {"，"}{ $count } 个 CPU 线程池作业
sum-tasks = 任务
sum-tasks-line = 创建 { $spawned } 个（阻塞线程池上 { $blocking } 个{ $cpu }）：完成 { $completed }，panic { $panicked }，取消 { $cancelled }，关闭时仍存活 { $shutdown }，未完成 { $unfinished }
sum-at-shutdown-note = （关闭时仍存活：运行时关闭时还活着，例如连接池里的 HTTP 连接；取消：被场景中止）
sum-polls = 轮询
sum-polls-line = { $polls }   唤醒 { $wakes }
sum-longest = 最长
sum-longest-line = `{ $task }`（任务 { $id }）在 { $lane } 上的一次 { $ms } ms 轮询，开始于 { $at } ms
sum-no-worker-polls = 没有工作线程轮询
sum-slow-polls = 慢轮询
sum-slow-polls-line = { $count } 次超过 { $threshold } ms（工作线程被阻塞了这么久）
sum-sched-delay = 调度延迟
sum-sched-delay-line = p50 { $p50 } ms  p99 { $p99 } ms  最大 { $max } ms  （唤醒 → 轮询，{ $count } 次轮询）
sum-heartbeat-late = 心跳延迟
sum-heartbeat-line = p50 { $p50 } ms  p99 { $p99 } ms  最大 { $max } ms  （{ $count } 次心跳）
sum-http = HTTP
sum-http-line = { $requests } 个请求（{ $statuses }），同时在途最多 { $peak } 个
sum-runtime = 运行时
sum-runtime-line = 平均忙碌 { $mean }%，峰值 { $peak }%（最忙的工作线程 { $busiest }%）；队列峰值：全局 { $global }，本地 { $local }，阻塞 { $blocking }；窃取 { $steals } 次，休眠 { $parks } 次（每 { $interval } ms 采样，共 { $samples } 次）
sum-busy-per-worker = 各 tokio 工作线程忙碌：{ $busy }
sum-group = 组
sum-group-line = 个任务  首次轮询前 { $first } ms，唤醒→轮询 { $woken } ms，轮询 { $poll } ms，慢轮询 { $slow }%
sum-semaphore = 信号量
sum-semaphore-line = { $name }：{ $permits } 个许可中最多同时持有 { $held } 个，最多 { $waiting } 个任务在等许可
sum-channel = 通道
sum-channel-line = { $name }：容量 { $capacity }，最多排队 { $queued } 条消息
sum-blocking = 阻塞
sum-blocking-line = 最多 { $running } 个作业在运行，{ $waiting } 个在等线程
sum-task-time = 任务时间（每组任务，从创建到结束）
sum-task-time-line = { $name }（{ $tasks } 个任务）：{ $sentence }
sum-lanes = 泳道
sum-lane-line = { $polls } 次轮询  忙碌 { $busy } ms
sum-lane-parked = 休眠 { $parked } ms（{ $parks } 次）
sum-scheduler = 调度器
sum-scheduler-tokio = 休眠 { $parks } 次，迁移 { $migrations } 次，自我唤醒 { $selfwakes } 次；唤醒来源：其他任务 { $task }，自己 { $itself }，驱动 { $driver }，阻塞线程池 { $pool }
sum-scheduler-asyncio = 休眠 { $parks } 次，迁移 { $migrations } 次，自我唤醒 { $selfwakes } 次；唤醒来源：其他任务 { $task }，自己 { $itself }，事件循环（I/O、定时器）{ $driver }，执行器 { $pool }
sum-panic-line = 任务 { $id } `{ $name }`：{ $message }
findings-heading = 诊断
sum-findings-none = 无：没有停顿、排队、重复或被拒绝的情况
finding-heading = 诊断
sum-finding-line = [{ $severity }] { $message }（在 { $at } ms）
sum-why = 原因：{ $cause }
sum-fix = 办法：{ $remedy }
sum-run-error = 运行错误
sum-note = 注
sum-events = 事件
sum-events-line = 捕获 { $events } 个，丢弃 { $dropped } 个
sum-truncated = 截断
sum-truncated-line = 在 { $events } 个事件处：达到内存上限（max_events），运行的其余部分没有记录
sum-dropped-note = （捕获通道已满：轨迹不完整）
output-heading = 输出
sum-output-line = 打印了 { $count } 行
table-better = {" 更好"}
table-worse = {" 更差"}
table-footnote = * 与 [1] 相差超过 10%（且超过噪声范围）
track-http = 在途 HTTP 请求
track-blocking-pool = 阻塞线程池
track-cpu-pool = CPU 线程池
track-semaphore = 信号量 { $name }
track-channel = 通道 { $name }
track-group = 任务组 { $name }

## 先预测，再揭晓

predict-wall-ms = 整个运行要多久？
predict-peak-in-flight = 同时在途的请求最多有几个？
predict-heartbeat-late-ms = 心跳最多会晚多久？
predict-http-429 = 服务器会拒绝多少个请求（HTTP 429）？
predict-permit-wait-pct = 任务有多大比例的时间在等许可？
predict-slow-polls = 有多少次轮询会占用工作线程超过 10 ms？
predict-longest-poll-ms = 最长的一次轮询会占用工作线程多久？
predict-card-title = 预测
predict-card-hint = 运行之前：大家怎么想？把猜测填进来，运行会给出答案。
predict-your-guess = 你的猜测
predict-not-a-number = 不是数字：这个猜测不计入
reveal-title = 预测与实测
reveal-guess = 猜测
reveal-not-measured = 没有测到
reveal-evidence = 查看
reveal-evidence-hover = 把时间线放大到这个结果所在的位置
reveal-hide = 重新猜
reveal-hide-hover = 回到预测卡片，为下一次运行猜测
reveal-line = { $figure }：{ $guess } -> { $actual }
sum-predicted = 预测
sum-reveal-line = { $figure }：猜测 { $guess }，实测 { $actual }
cli-guess-no-predict = { $path } 没有 [predict] 表：没有可猜的数据
cli-guess-not-asked = { $path } 要预测的是 { $asked }；`--guess { $figure }` 不在其中
cli-guess-twice = `--guess { $figure }` 给了两次
figure-wall-ms = 总耗时
figure-peak-in-flight = 在途峰值
figure-heartbeat-late-ms = 心跳延迟
figure-http-429 = HTTP 429 次数
figure-permit-wait-pct = 等许可占比
figure-slow-polls = 慢轮询
figure-longest-poll-ms = 最长轮询

## 场景文件的错误

parse-did-you-mean = {"；你是想写 `"}{ $name }{"` 吗？"}
parse-unknown-key = 未知的键 `{ $name }`，应为以下之一：{ $expected }
parse-unknown-step = 未知的步骤 `{ $name }`，应为以下之一：{ $expected }
parse-missing-key = 缺少键 `{ $name }`
parse-toml = TOML 读取错误：{ $message }
parse-range = `{ $key }` 必须在 { $min } 到 { $max }{ $unit } 之间，现在是 { $got }
parse-empty = `{ $key }` 不能为空
parse-current-thread-workers = current_thread 运行时只有 1 个工作线程，现在是 `workers = { $workers }`
parse-result-name-empty = 结果的名字不能为空
parse-result-words-empty = 结果里装的是什么，要用文字说明（不能为空）
parse-no-task-groups = 没有任务组：至少添加一个带 `name` 和 `steps` 的 `[[task]]` 表
parse-task-empty = `task` 至少要有一个任务组
parse-group-name-empty = 任务组的 `name` 不能为空
parse-too-many-tasks = 这个场景会创建超过 { $limit } 个任务（数量按 `spawn` 和 `repeat` 相乘）；请调低 `count`、`times` 或 spawn 的数量
parse-figures-empty = `figures` 至少要列出一个要预测的数据
parse-unknown-figure = `figures` 里没有 `{ $name }` 这个数据；应为以下之一：{ $expected }{ $hint }
parse-figure-twice = `{ $name }` 在 `figures` 里出现了两次
parse-needs-heartbeat = `[heartbeat]`
parse-needs-semaphore = 信号量
parse-figure-needs = `{ $name }` 需要场景里有{ $what }，而这个场景没有
parse-expand-unknown = `expand` 里的 `{ $name }` 不是任务组（任务组：{ $groups }）{ $hint }
parse-unknown-track = `tracks` 里没有 `{ $name }` 这条轨道；应为以下之一：{ $expected }{ $hint }
parse-too-deep = 步骤嵌套超过了 { $depth } 层
parse-steps-empty = `steps` 至少要有一个步骤
parse-duration = `{ $key }` 最多 { $max } ms（一小时），现在是 { $got }
parse-blocking-path = `blocking_http_get` 要的是实验服务器上的路径，例如 "/items" 或 "/items?ms=200"（不带主机名，不含空格），现在是 { $got }
parse-yield-true = `yield_now` 必须是 `true`（否则请删掉这个步骤）
parse-forget-true = `forget_wake` 必须是 `true`（否则请删掉这个步骤）
parse-unknown-semaphore = 未知的信号量 `{ $name }`；请在 [semaphores] 下声明（已声明：{ $declared }）{ $hint }
parse-times = `times` 必须在 1 到 { $max } 之间，现在是 { $got }
parse-spawn-name = `spawn` 需要一个非空的 `name`
parse-spawn-count = spawn 的 `count` 必须在 1 到 { $max } 之间，现在是 { $got }
parse-wait-after = `wait_after_ms` 会先睡眠再 await 子任务；它不能和 `wait = false` 一起用（删掉其中一个）
parse-abort-wait = `abort_after_ms` 和 `wait_after_ms` 是同一段停顿的两种结局：只给其中一个
parse-timeout-limit = { $ms } ms 的 `timeout` 比场景的 `time_limit_s = { $limit }` 还长：运行会先被停止
parse-print = `print` 只接受 1 到 200 个字符的一行，现在是 { $count } 个字符{ $newline }
parse-print-newline = {"，还带换行"}
parse-recv-ready = `recv_ready` 必须在 1 到 { $max } 之间，现在是 { $got }
parse-unknown-channel = `{ $key }`：未知的通道 `{ $name }`；请在 [channels] 下声明它和容量（已声明：{ $declared }）{ $hint }
parse-channel-count = `{ $key }` 的 `count` 必须在 1 到 { $max } 之间，现在是 { $got }
parse-channel-starves = 通道 `{ $name }`：任务一共要接收 { $recvs } 条消息（数量按 `count`、`repeat` 和 `spawn` 相乘），但只会发送 { $sends } 条，所以会有接收方永远等下去
parse-channel-blocks = 通道 `{ $name }`：任务一共要发送 { $sends } 条消息，但只会接收 { $recvs } 条，通道里也只放得下 { $capacity } 条，所以会有发送方永远等下去
parse-unknown-result = 未知的结果 `{ $name }`；请在 [results] 下声明（已声明：{ $declared }）{ $hint }
parse-result-never-set = 结果 `{ $name }` 有人 await 却从未被设置（没有 `set_result = "{ $name }"`），所以等它的任务会永远等下去
parse-result-set-twice = 结果 `{ $name }` 被设置了 { $sets } 次（数量按 `count`、`repeat` 和 `spawn` 相乘）；一次性的结果只能设置一次
parse-http-url = `http_get` 需要实验服务器上的路径（"/items"）或一个 http 地址；`{ $url }` 两者都不是（{ $error }）
parse-http-only = `http_get` 只支持 http://（这个版本没有 TLS），现在是 `{ $url }`
parse-not-local = `{ $url }` 不在本机；场景只和内嵌的实验服务器通信（用 "/items" 这样的路径），或者在文件开头设置 `allow_external = true`
parse-join-two = `join` 至少需要两组步骤一起运行
parse-race-two = `race` 至少需要两组步骤来竞速
parse-declared-none = 无
scenario-unreadable = { $path }：无法读取场景：{ $error }
cli-error = 错误：{ $message }
delta-points = { $delta } 个百分点
delta-new = 新出现

## asyncio 运行注记

asyncio-note-workers = [runtime] multi_thread，{ $workers } 个工作线程：asyncio 没有工作线程池，也没有工作窃取；所有任务都在那一个事件循环线程上运行。
asyncio-note-executor = [runtime] max_blocking_threads = { $threads }：即执行器的 max_workers（run_in_executor 用的 ThreadPoolExecutor）。
asyncio-note-offload-cpu = offload_cpu_ms 在执行器线程上运行 Python 代码：它和事件循环共用 GIL，事件循环每运行一步都要排队等候（每次最多 sys.getswitchinterval()，即 5 ms）。
asyncio-note-cpu-pool = cpu_pool_ms 在事件循环启动前创建的 ProcessPoolExecutor(max_workers={ $threads }) 上运行：用进程，是因为线程会和事件循环共用 GIL。
asyncio-note-join = join 就是 asyncio.gather，它把每个分支包装成各自的 Task：这里的分支都是任务（tokio 的 join 在同一个任务里轮询它们）。
asyncio-note-recv-ready = recv_ready：asyncio 没有协作预算（tokio 的 coop），所以从已就绪的队列里 get 永远不会让出给事件循环。

## 幻灯片

slide-http-200 = 请求得到 200 响应
slide-http-429 = 请求被拒绝（429）
slide-http-other = 请求得到其他响应
slide-http-error = 请求失败
slide-http-cancelled = 请求被取消
slide-permit-held = 持有许可
slide-permit-waiting = 等待许可的任务
slide-message-queued = 排队的消息
slide-blocking-running = 在阻塞线程池上运行的作业
slide-blocking-waiting = 等待线程池线程的作业
slide-cpu-running = 在 CPU 线程池上运行的作业
slide-cpu-waiting = 排队等 CPU 线程池线程的作业
slide-run-facts = 运行 { $wall } · { $workers } 个工作线程
slide-blocking-threads = {" + "}阻塞线程池上 { $count } 个
slide-cpu-threads = {" + "}CPU 线程池上 { $count } 个
slide-tasks = {" · "}{ $count } 个任务
slide-showing = 显示 { $from } 到 { $to }
slide-permits-peak = { $permits } 个许可 · 峰值 { $peak }
slide-capacity-peak = 容量 { $capacity } · 峰值 { $peak }
slide-group-tasks = { $count } 个任务
slide-group-by-state = { $count } 个任务，按状态
slide-group-running = { $group } 运行中
slide-end-mark = 末端标记：完成任务的那次轮询
slide-parked = 工作线程休眠
slide-refused = 请求被拒绝（429）或失败

## SVG 导出

svg-on-runtime = 在 { $runtime } 上{" · "}
svg-subtitle = { $on }总耗时 { $wall } · 显示 { $from } 到 { $to } · { $threads } 个线程上 { $polls } 次轮询
svg-comparison-title = 比较：{ $names }
svg-comparison-subtitle = 同一条时间轴 · 显示 { $from } 到 { $to } · 高亮：与 [1] 相差超过 10%
