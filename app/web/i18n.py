"""Every label of the page in English and 中文, and how the page's language is chosen.

`Labels` is a frozen dataclass, so a label missing in one language is a TypeError at import time,
not a blank on the page. Format strings (`{line}`) are filled in by view-model code, never by
templates.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
LANG_COOKIE = "lang"


@dataclass(frozen=True, slots=True)
class Labels:
    html_lang: str
    title: str
    tagline: str
    skip_to_graph: str
    language: str
    lessons: str
    lesson_choose: str
    lesson_load: str
    program: str
    editor_label: str
    mode: str
    mode_math: str
    mode_python: str
    inputs: str
    inputs_hint: str
    inputs_none: str
    input_name: str
    input_value: str
    device: str
    run: str
    run_shortcut: str
    live_hint: str
    graph: str
    graph_empty: str
    graph_stale: str
    zoom_in: str
    zoom_out: str
    fit: str
    expand: str  # a fold's or a module's box: draw it in full (static/js/expand.js)
    collapse: str  # a module's cluster: draw it as one box
    refold: str  # the toolbar: every opened fold drawn as its box again
    step: str
    step_caption: str
    step_caption_code: str
    step_none: str
    backward: str
    play_backward: str
    pause: str
    back_one: str
    forward_one: str
    backward_none: str
    backward_call: str
    error_freed: str
    error_modified: str
    error_saved_by: str
    error_non_scalar: str
    error_no_grad: str
    error_non_leaf_grad: str
    error_here: str
    constant_input: str
    lesson_edited: str
    tensors: str
    tensors_none: str
    col_name: str
    col_value: str
    col_grad: str
    col_requires_grad: str
    col_is_leaf: str
    col_grad_fn: str
    console: str
    console_empty: str
    details: str
    details_hint: str
    value: str
    grad: str
    flow_grad: str
    shape: str
    dtype: str
    device_of: str
    requires_grad: str
    is_leaf: str
    retains_grad: str
    version: str
    role: str
    names: str
    source_span: str
    span_line: str
    span_cols: str
    detached_from: str
    op: str
    executed: str
    saved: str
    saved_none: str
    saved_freed: str
    saved_kept: str
    attrs: str
    yes: str
    no: str
    scalar: str
    too_large: str
    pytorch_code: str
    notes: str
    read_as: str
    error_at_line: str
    error_at: str
    hint: str
    refusal_syntax: str
    refusal_not_allowed: str
    refusal_limit: str
    refusal_device: str
    refusal_request: str
    refusal_input: str
    refusal_link: str
    refusal_busy: str
    busy: str
    worker_lost: str
    answer_too_deep: str
    page_left_out: str
    rows_left_out: str
    line: str
    share: str
    copy_link: str
    copy_embed: str
    copied: str
    copy_failed: str
    export: str
    export_json: str
    export_background: str  # the picture's background for slides: white / transparent / dark
    export_white: str
    export_transparent: str
    export_dark: str
    export_scale: str
    receives_from: str  # an edge said on its target node: "receives {grad} from {source}"
    embed_options: str  # the Share panel's embed checkboxes (README, "In the classroom")
    embed_present: str
    embed_edit: str
    embed_big: str
    embed_hide_editor: str
    embed_hide_console: str
    embed_hide_lessons: str
    input_from: str
    fold_box: str  # an edge's end that is a fold's box: "input from ×99 box"
    open_in_playground: str
    roles_leaf: str
    roles_intermediate: str
    roles_output: str
    roles_constant: str
    roles_detached: str
    legend: str
    legend_op: str
    legend_freed: str
    legend_module: str
    legend_module_box: str
    legend_fold: str
    training: str
    training_summary: str
    training_summary_loss: str
    training_truncated: str
    training_no_loss: str
    chart_loss: str
    chart_description: str
    chart_heading: str
    axis_call: str
    axis_loss: str
    axis_loss_log: str
    axis_value: str
    axis_norm: str
    truth: str
    truth_norm: str
    last_value: str


EN = Labels(
    html_lang="en",
    title="Autograd Playground",
    tagline="See the autograd graph PyTorch really builds.",
    skip_to_graph="Skip to the graph",
    language="Language",
    lessons="Lessons",
    lesson_choose="Pick a lesson",
    lesson_load="Load lesson",
    program="Program",
    editor_label="Program source",
    mode="Notation",
    mode_math="Math",
    mode_python="PyTorch",
    inputs="Inputs",
    inputs_hint="Values of the formula's free variables.",
    inputs_none="No free variables.",
    input_name="Variable",
    input_value="Value",
    device="Device",
    run="Run",
    run_shortcut="Ctrl+Enter",
    live_hint="Runs as you type.",
    graph="Autograd graph",
    graph_empty="No graph yet: run a program that uses tensors.",
    graph_stale="Showing the last graph that ran; fix the program to update it.",
    zoom_in="Zoom in",
    zoom_out="Zoom out",
    fit="Fit to screen",
    expand="Expand",
    collapse="Collapse",
    refold="Fold the loops again",
    step="Step",
    step_caption="Step {value} of {total}: line {line}, {source}",
    step_caption_code="Step {value} of {total}: {source}",
    step_none="Step {value} of {total}",
    backward="Backward pass",
    play_backward="Play backward",
    pause="Pause",
    back_one="Previous op",
    forward_one="Next op",
    backward_none="No backward pass ran yet.",
    backward_call="backward call {number}",
    error_freed="Its saved tensors were freed by backward call {call}; line {line} ran backward "
    "through it again.",
    error_modified="Changed in place: now at version {version}, backward needs version {saved}.",
    error_saved_by="Saved a tensor (at version {saved}) that was then changed in place.",
    error_non_scalar="backward() without a gradient, on this non-scalar output (line {line}).",
    error_no_grad="backward() on this tensor, which does not require grad (line {line}).",
    error_non_leaf_grad="Line {line} read .grad of this non-leaf tensor: it is None.",
    error_here="error here",
    constant_input="constant input (no gradient)",
    lesson_edited="You have changed this lesson's program: the explanation above is about the "
    "original.",
    tensors="Tensors",
    tensors_none="No tensors bound to names.",
    col_name="name",
    col_value="value",
    col_grad="grad",
    col_requires_grad="requires_grad",
    col_is_leaf="is_leaf",
    col_grad_fn="grad_fn",
    console="Console",
    console_empty="Nothing printed.",
    details="Details",
    details_hint="Click a node of the graph to see its values, gradients and saved tensors.",
    value="value",
    grad="grad",
    flow_grad="gradient that flowed in",
    shape="shape",
    dtype="dtype",
    device_of="device",
    requires_grad="requires_grad",
    is_leaf="is_leaf",
    retains_grad="retains_grad",
    version="version",
    role="role",
    names="names",
    source_span="source",
    span_line="line {line}",
    span_cols="line {line}, columns {col}–{end_col}",
    detached_from="detached from",
    op="operation",
    executed="ran in the last backward",
    saved="Saved tensors",
    saved_none="No saved tensors.",
    saved_freed="freed",
    saved_kept="kept",
    attrs="attributes",
    yes="yes",
    no="no",
    scalar="scalar",
    too_large="too large to show ({count} elements): min {min}, max {max}, mean {mean}",
    pytorch_code="The PyTorch code that ran",
    notes="Notes",
    read_as="Read as",
    error_at_line="line {line}",
    error_at="line {line}, column {col}",
    hint="Hint",
    refusal_syntax="Syntax error",
    refusal_not_allowed="Not allowed",
    refusal_limit="Limit reached",
    refusal_device="Device unavailable",
    refusal_request="Bad request",
    refusal_input="Bad input value",
    refusal_link="This link could not be read; showing the default program.",
    refusal_busy="Server busy",
    busy="Every worker is busy right now; the program runs again when you next change it.",
    worker_lost="The worker running this program stopped before it answered. It is not run "
    "again on its own: change the program or run it again to retry.",
    answer_too_deep="This run's answer is too large or nested too deeply for this page to show; "
    "the JSON API answers it in full.",
    page_left_out="This page describes {nodes} of {nodes_total} graph nodes and {steps} of "
    "{steps_total} backward steps (the ones nearest the output); the JSON API has them all.",
    rows_left_out="This page shows {lines} of {lines_total} console lines and {tensors} of "
    "{tensors_total} tensors; the JSON API has them all.",
    line="line {line}",
    share="Share",
    copy_link="Copy link",
    copy_embed="Copy embed code",
    copied="Copied.",
    copy_failed="Copy it from the box.",
    export="Export",
    export_json="run JSON",
    export_background="Background",
    export_white="white",
    export_transparent="transparent",
    export_dark="dark (dark slides)",
    export_scale="Size",
    receives_from="receives {grad} from {source}",
    embed_options="Embed options",
    embed_present="presenter mode (graph only)",
    embed_edit="editable",
    embed_big="large controls",
    embed_hide_editor="hide the program",
    embed_hide_console="hide the console",
    embed_hide_lessons="hide the lessons",
    input_from="input from {source}",
    fold_box="×{count} box",
    open_in_playground="Open in playground",
    roles_leaf="leaf",
    roles_intermediate="intermediate",
    roles_output="output",
    roles_constant="constant",
    roles_detached="detached",
    legend="Legend",
    legend_op="op (grad_fn)",
    legend_freed="op, saved tensors freed",
    legend_module="module call (its ops inside)",
    legend_module_box="module call, shut",
    legend_fold="×N repeated iterations, folded",
    training="Training",
    training_summary="backward calls: {calls}",
    training_summary_loss="backward calls: {calls} · loss {first} → {last}",
    training_truncated="Only the first {count} parameters are followed.",
    training_no_loss="No loss to draw: no backward call started from a one-element tensor.",
    chart_loss="Loss",
    chart_description="{heading}, at each of {calls} backward calls: {series}",
    chart_heading="{title} ({axis})",
    axis_call="backward call",
    axis_loss="loss",
    axis_loss_log="loss (log scale)",
    axis_value="value",
    axis_norm="L2 norm",
    truth="true {value}",
    truth_norm="true norm {value}",
    last_value="last {value}",
)

ZH = Labels(
    html_lang="zh-CN",
    title="自动求导演练场",
    tagline="看看 PyTorch 真正构建的自动求导计算图。",
    skip_to_graph="跳到计算图",
    language="语言",
    lessons="课程",
    lesson_choose="选择一节课",
    lesson_load="载入课程",
    program="程序",
    editor_label="程序源代码",
    mode="写法",
    mode_math="数学公式",
    mode_python="PyTorch",
    inputs="输入",
    inputs_hint="公式中自由变量的取值。",
    inputs_none="没有自由变量。",
    input_name="变量",
    input_value="取值",
    device="设备",
    run="运行",
    run_shortcut="Ctrl+Enter",
    live_hint="边输入边运行。",
    graph="自动求导计算图",
    graph_empty="还没有计算图：运行一个使用张量的程序。",
    graph_stale="显示的是上一次成功运行的计算图；改正程序后会更新。",
    zoom_in="放大",
    zoom_out="缩小",
    fit="适应窗口",
    expand="展开",
    collapse="折叠",
    refold="重新折叠循环",
    step="步骤",
    step_caption="第 {value} / {total} 步：第 {line} 行，{source}",
    step_caption_code="第 {value} / {total} 步：{source}",
    step_none="第 {value} / {total} 步",
    backward="反向传播",
    play_backward="播放反向传播",
    pause="暂停",
    back_one="上一个运算",
    forward_one="下一个运算",
    backward_none="还没有进行反向传播。",
    backward_call="第 {number} 次 backward",
    error_freed="它保存的张量已被第 {call} 次 backward 释放；第 {line} 行又一次经过它反向传播。",
    error_modified="被原地修改：现在版本 {version}，反向传播需要版本 {saved}。",
    error_saved_by="它保存的张量（版本 {saved}）后来被原地修改了。",
    error_non_scalar="第 {line} 行对这个非标量输出调用了不带 gradient 的 backward()。",
    error_no_grad="第 {line} 行对这个不需要梯度的张量调用了 backward()。",
    error_non_leaf_grad="第 {line} 行读取了这个非叶子张量的 .grad：它是 None。",
    error_here="错误在此",
    constant_input="常量输入（无梯度）",
    lesson_edited="你已修改这个课程的程序：上面的说明针对的是原程序。",
    tensors="张量",
    tensors_none="没有绑定到变量名的张量。",
    col_name="名称",
    col_value="值",
    col_grad="梯度 grad",
    col_requires_grad="requires_grad",
    col_is_leaf="is_leaf",
    col_grad_fn="grad_fn",
    console="控制台",
    console_empty="没有输出。",
    details="详情",
    details_hint="点击计算图中的节点，查看它的值、梯度和保存的张量。",
    value="值",
    grad="梯度",
    flow_grad="流入的梯度",
    shape="形状",
    dtype="数据类型",
    device_of="设备",
    requires_grad="requires_grad",
    is_leaf="is_leaf",
    retains_grad="retains_grad",
    version="版本号",
    role="角色",
    names="变量名",
    source_span="源代码位置",
    span_line="第 {line} 行",
    span_cols="第 {line} 行，第 {col}–{end_col} 列",
    detached_from="detach 自",
    op="运算",
    executed="在上一次反向传播中执行",
    saved="保存的张量",
    saved_none="没有保存的张量。",
    saved_freed="已释放",
    saved_kept="仍保留",
    attrs="属性",
    yes="是",
    no="否",
    scalar="标量",
    too_large="太大无法显示（{count} 个元素）：最小 {min}，最大 {max}，平均 {mean}",
    pytorch_code="实际运行的 PyTorch 代码",
    notes="说明",
    read_as="理解为",
    error_at_line="第 {line} 行",
    error_at="第 {line} 行，第 {col} 列",
    hint="提示",
    refusal_syntax="语法错误",
    refusal_not_allowed="不允许的写法",
    refusal_limit="超出限制",
    refusal_device="设备不可用",
    refusal_request="请求有误",
    refusal_input="输入值有误",
    refusal_link="无法读取这个链接；显示默认程序。",
    refusal_busy="服务器繁忙",
    busy="现在所有工作进程都在忙；下次修改程序时会重新运行。",
    worker_lost="运行这个程序的工作进程在回答之前停止了。它不会自动重新运行：修改程序或再次运行即可重试。",
    answer_too_deep="这次运行的结果太大或嵌套太深，无法在此页面显示；JSON API 会给出完整结果。",
    page_left_out="此页面描述了 {nodes_total} 个计算图节点中的 {nodes} 个、"
    "{steps_total} 个反向传播步骤中的 {steps} 个（离输出最近的）；JSON API 提供全部内容。",
    rows_left_out="此页面显示了 {lines_total} 行控制台输出中的 {lines} 行、"
    "{tensors_total} 个张量中的 {tensors} 个；JSON API 提供全部内容。",
    line="第 {line} 行",
    share="分享",
    copy_link="复制链接",
    copy_embed="复制嵌入代码",
    copied="已复制。",
    copy_failed="请从文本框中复制。",
    export="导出",
    export_json="运行结果 JSON",
    export_background="背景",
    export_white="白色",
    export_transparent="透明",
    export_dark="深色（深色幻灯片）",
    export_scale="大小",
    receives_from="从 {source} 收到 {grad}",
    embed_options="嵌入选项",
    embed_present="演示模式（只显示计算图）",
    embed_edit="可编辑",
    embed_big="大号控件",
    embed_hide_editor="隐藏程序",
    embed_hide_console="隐藏控制台",
    embed_hide_lessons="隐藏课程",
    input_from="输入来自 {source}",
    fold_box="×{count} 框",
    open_in_playground="在演练场中打开",
    roles_leaf="叶子节点",
    roles_intermediate="中间结果",
    roles_output="输出",
    roles_constant="常量",
    roles_detached="已 detach",
    legend="图例",
    legend_op="运算（grad_fn）",
    legend_freed="运算，保存的张量已释放",
    legend_module="模块调用（框内是它的运算）",
    legend_module_box="模块调用（已收起）",
    legend_fold="×N 次重复的迭代（已折叠）",
    training="训练过程",
    training_summary="backward 次数：{calls}",
    training_summary_loss="backward 次数：{calls} · 损失 {first} → {last}",
    training_truncated="只跟踪前 {count} 个参数。",
    training_no_loss="没有可画的损失：没有一次 backward 是从单元素张量开始的。",
    chart_loss="损失",
    chart_description="{heading}，共 {calls} 次 backward：{series}",
    chart_heading="{title}（{axis}）",
    axis_call="第几次 backward",
    axis_loss="损失",
    axis_loss_log="损失（对数坐标）",
    axis_value="取值",
    axis_norm="L2 范数",
    truth="真实值 {value}",
    truth_norm="真实范数 {value}",
    last_value="最终 {value}",
)

_LABELS = {"en": EN, "zh": ZH}


def labels(lang: str) -> Labels:
    return _LABELS.get(lang, EN)


def choose_language(query: str | None, state: str | None, cookie: str | None) -> str:
    """`?lang=` first, then the shared state's language, then the remembered choice."""
    for candidate in (query, state, cookie):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE


def role_label(t: Labels, role: str) -> str:
    return {
        "leaf": t.roles_leaf,
        "intermediate": t.roles_intermediate,
        "output": t.roles_output,
        "constant": t.roles_constant,
        "detached": t.roles_detached,
    }.get(role, role)


def refusal_title(t: Labels, kind: str) -> str:
    return {
        "syntax": t.refusal_syntax,
        "not_allowed": t.refusal_not_allowed,
        "limit": t.refusal_limit,
        "device": t.refusal_device,
        "input": t.refusal_input,
        "busy": t.refusal_busy,
        "worker_lost": t.refusal_busy,
    }.get(kind, t.refusal_request)
