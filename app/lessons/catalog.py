"""The built-in lessons, in the order the lesson picker shows them; the first opens by default.

Each program comes from the study notes in ../shared/seeds/ and is valid PyTorch as written: pasted
into Python it prints the same values, gradients and errors (tests/test_lessons.py checks that).
Two lessons end in PyTorch's error on purpose: the error is what they teach.
"""

from __future__ import annotations

from app.lessons.model import Lesson

MATH_FIRST = Lesson(
    id="math-first",
    title={"en": "z = 2x + xy: your first graph", "zh": "z = 2x + xy：第一张计算图"},
    explanation={
        "en": (
            "Type a formula and the playground turns it into PyTorch code, runs it and calls "
            "z.backward() for you. In the graph, x and y are leaf nodes, 2x and xy are "
            "intermediate MulBackward0 nodes, and the AddBackward0 on top produces the root "
            "z = 24. The gradients flow back down to the leaves: x.grad is 8 = 2 + y and "
            "y.grad is 3 = x, exactly the partial derivatives you get by hand."
        ),
        "zh": (
            "输入一个公式，playground 会把它翻译成 PyTorch 代码并运行，最后自动对 z 调用 "
            "backward()。图中 x 和 y 是叶子节点，2x 和 xy 是乘法（MulBackward0）产生的中间节点，"
            "最上面的 AddBackward0 得到根节点 z = 24。梯度沿着计算图反向流回叶子节点："
            "x.grad = 2 + y = 8，y.grad = x = 3，和手算的偏导数一模一样。"
        ),
    },
    source="z = 2x + xy\n",
    mode="math",
    inputs={"x": 3, "y": 6},
)

WALK_THROUGH = Lesson(
    id="z-2x-plus-xy",
    title={
        "en": "The z = 2x + xy walk-through in PyTorch",
        "zh": "用 PyTorch 一步步求 z = 2x + xy 的导数",
    },
    explanation={
        "en": (
            "The same model written out the way the notes do it: requires_grad is set when x is "
            "created and switched on afterwards for y with requires_grad_(True), and the two "
            "halves get names, u = 2x and v = xy. The console shows each result's grad_fn: u "
            "and v come from MulBackward0, z from AddBackward0, the last operation of the graph. "
            "After z.backward(), x.grad is 8 = 2 + y and y.grad is 3 = x."
        ),
        "zh": (
            "按照笔记里的写法把模型完整写出来：x 在创建时就设 requires_grad=True，y 则在创建后"
            "调用 requires_grad_(True) 打开标志位，并把 2x 和 xy 拆成中间变量 u、v。控制台里能"
            "看到每个结果的 grad_fn：u 和 v 由 MulBackward0 得到，z 由 AddBackward0 得到，"
            "它记录的是计算图最后一步的运算。z.backward() 之后，x.grad 为 8（= 2 + y），"
            "y.grad 为 3（= x），目标达成！"
        ),
    },
    source="""\
import torch
x = torch.tensor(3., requires_grad=True)  # set the flag when creating x
y = torch.tensor(6.)
y.requires_grad_(True)  # or switch it on afterwards
u = 2*x
v = x*y
z = u + v
print(u, v, z)  # grad_fn records the last operation
z.backward()
print(x.grad, y.grad)  # dz/dx = 2 + y = 8, dz/dy = x = 3
""",
)

REQUIRES_GRAD_PROPAGATION = Lesson(
    id="requires-grad-propagation",
    title={"en": "requires_grad spreads through the graph", "zh": "requires_grad 的传递性"},
    explanation={
        "en": (
            "requires_grad is False by default, and the result of an operation requires grad as "
            "soon as any one of its inputs does. Here y does not, so u = 2*y is a plain tensor "
            "with no grad_fn and no node in the graph, while v = x*y and z inherit "
            "requires_grad=True from x. After z.backward() only x gets a gradient: x.grad is "
            "6 = y, and y.grad stays None."
        ),
        "zh": (
            "requires_grad 默认为 False；一个运算的输入里只要有一个需要求导，输出就需要求导。"
            "这里 y 不需要求导，所以 u = 2*y 只是个普通张量，没有 grad_fn，也不会出现在计算图里；"
            "而 v = x*y 和 z 都从 x 那里继承了 requires_grad=True。反向传播之后只有 x 有梯度："
            "x.grad = y = 6，y.grad 仍然是 None。"
        ),
    },
    source="""\
import torch
x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6.)  # requires_grad is False by default
u = 2*y
v = x*y
z = u + v
print(y.requires_grad, u.requires_grad)  # False False: no graph for u
print(v.requires_grad, z.requires_grad)  # True True: inherited from x
print(u.grad_fn, z.grad_fn)
z.backward()
print(x.grad, y.grad)  # tensor(6.) None
""",
)

RETAIN_GRAPH = Lesson(
    id="retain-graph",
    title={
        "en": "u, v and retain_graph=True: backward a second time",
        "zh": "u、v 与 retain_graph=True：保留计算图再反向传播一次",
    },
    explanation={
        "en": (
            "z.backward(retain_graph=True) keeps the tensors the graph saved for backward, so a "
            "second backward can run through the same graph. The gradients from z are cleared "
            "with zero_(), then v.backward() gives the partial derivatives of v = xy alone: "
            "x.grad is 6 = y and y.grad is 3 = x. The graph shows that last backward: only v's "
            "branch carries gradients, and v's MulBackward0 now has its saved tensors freed, "
            "because v.backward() itself did not retain the graph."
        ),
        "zh": (
            "z.backward(retain_graph=True) 会保留计算图中为反向传播保存的中间结果，这样之后还能"
            "沿着同一张图再反向传播一次。先用 zero_() 把 z 反向传播得到的梯度清零，再调用 "
            "v.backward()，得到的就只是 v = xy 的偏导数：x.grad = y = 6，y.grad = x = 3。"
            "图中显示的是最后这次反向传播：只有 v 这一支有梯度流过；而 v.backward() 本身没有"
            "保留计算图，所以 v 的 MulBackward0 保存的张量这时已被释放。"
        ),
    },
    source="""\
import torch
x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6., requires_grad=True)
u = 2*x
v = x*y
z = u + v
z.backward(retain_graph=True)  # keep the saved tensors
x.grad.zero_()
y.grad.zero_()
v.backward()  # dv/dx = y, dv/dy = x
print(x.grad, y.grad)  # tensor(6.) tensor(3.)
""",
)

BACKWARD_TWICE = Lesson(
    id="backward-twice",
    title={
        "en": "Backward twice without retain_graph: the error",
        "zh": "不保留计算图就第二次反向传播：报错",
    },
    explanation={
        "en": (
            "By default backward() frees the tensors the graph saved as soon as it is done, "
            "because one forward pass normally goes with one backward pass. So the second call, "
            "v.backward(), fails with PyTorch's RuntimeError \"Trying to backward through the "
            'graph a second time". Look at the graph at the error: the saved tensors of the '
            "MulBackward0 nodes are marked freed, while x.grad = 8 and y.grad = 3 from the first "
            "backward are still there. The fix is z.backward(retain_graph=True), as in the "
            "previous lesson."
        ),
        "zh": (
            "默认情况下，backward() 一结束就会把计算图保存的中间结果释放掉，因为一般一次前向传播"
            "只配一次反向传播。所以第二次调用 v.backward() 时，PyTorch 报 RuntimeError："
            "“Trying to backward through the graph a second time”。看看出错时的计算图："
            "MulBackward0 节点保存的张量都已被释放，而第一次反向传播得到的 x.grad = 8、"
            "y.grad = 3 还在。解决办法就是上一课的 z.backward(retain_graph=True)。"
        ),
    },
    source="""\
import torch
x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6., requires_grad=True)
u = 2*x
v = x*y
z = u + v
z.backward()  # frees the graph's saved tensors
print(x.grad, y.grad)
v.backward()  # RuntimeError: the graph is gone
""",
)

ACCUMULATE_ZERO = Lesson(
    id="accumulate-zero",
    title={
        "en": "Gradients accumulate until you zero_() them",
        "zh": "梯度累加与 grad.zero_() 清零",
    },
    explanation={
        "en": (
            "backward() adds into .grad instead of replacing it. Running "
            "z.backward(retain_graph=True) twice makes x.grad 16 = 8 + 8 and y.grad 6 = 3 + 3; "
            "the console shows both rounds. After x.grad.zero_() and y.grad.zero_(), one more "
            "backward gives the true gradients again, 8 and 3. This is why a training loop "
            "clears the gradients after every update."
        ),
        "zh": (
            "backward() 会把新算出的梯度加到 .grad 上，而不是覆盖原来的值。连续两次 "
            "z.backward(retain_graph=True) 之后，x.grad 从 8 变成 16 = 8 + 8，y.grad 变成 "
            "6 = 3 + 3，控制台里两次打印都能看到。用 x.grad.zero_() 和 y.grad.zero_() 清零后"
            "再反向传播一次，梯度又回到正确的 8 和 3。这就是训练时每次更新参数后都要把梯度清零"
            "的原因。"
        ),
    },
    source="""\
import torch
x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6., requires_grad=True)
z = 2*x + x*y
z.backward(retain_graph=True)
print(x.grad, y.grad)  # tensor(8.) tensor(3.)
z.backward(retain_graph=True)
print(x.grad, y.grad)  # tensor(16.) tensor(6.): added, not replaced
x.grad.zero_()
y.grad.zero_()
z.backward()
print(x.grad, y.grad)  # tensor(8.) tensor(3.) again
""",
)

RETAIN_GRAD = Lesson(
    id="retain-grad",
    title={
        "en": "Leaf and non-leaf tensors: retain_grad()",
        "zh": "叶子节点、非叶子节点与 retain_grad()",
    },
    explanation={
        "en": (
            "Only leaf tensors, created by you with requires_grad=True, keep their .grad after "
            "backward; y1, y2 and loss are non-leaf nodes whose gradients are used on the way "
            "and then thrown away. y2.retain_grad() asks PyTorch to keep one of them: y2.grad "
            "is 4, while y1.grad prints None (and PyTorch warns that you read a non-leaf's "
            ".grad). x.grad is 4, the sum over both paths: -4 through y1 plus 2 × 4 through y2."
        ),
        "zh": (
            "只有叶子节点（用户直接创建、requires_grad=True 的张量）在反向传播后才会保留 .grad；"
            "y1、y2 和 loss 都是非叶子节点，它们的梯度只在计算过程中用到，用完就被释放。对 y2 "
            "调用 retain_grad() 就能把它的梯度留下来：y2.grad 为 4，而 y1.grad 打印出来是 None"
            "（PyTorch 还会警告你读取了非叶子张量的 .grad）。x.grad = 4，是两条路径之和："
            "经过 y1 的 -4 加上经过 y2 的 2 × 4。"
        ),
    },
    source="""\
import torch
x = torch.tensor(3.0, requires_grad=True)
y1 = x + 1
y2 = 2*x
y2.retain_grad()  # keep the gradient of this non-leaf
loss = (y1 - y2)**2
loss.backward()
print(x.is_leaf, y1.is_leaf, y2.is_leaf, loss.is_leaf)
print(y1.grad)  # None: a non-leaf's gradient is freed
print(y2.grad)  # tensor(4.)
print(x.grad)  # tensor(4.)
""",
)

DETACH = Lesson(
    id="detach",
    title={"en": "detach(): treat 2x as a constant", "zh": "detach()：把 2x 当作常数"},
    explanation={
        "en": (
            "u.detach() returns a tensor with the value of u = 2x but cut off from the graph: "
            "u_ is a leaf with requires_grad=False and no grad_fn. In the graph u_ hangs off u "
            "on a 'detached' edge that carries no gradient, so z = u_ + x*y sees 2x as the "
            "constant 6. x.grad is therefore 6 = y instead of 8."
        ),
        "zh": (
            "u.detach() 返回一个与 u = 2x 数值相同、但已从计算图中分离出来的张量：u_ 是叶子节点，"
            "requires_grad=False，也没有 grad_fn。图中 u_ 通过一条 detached 边挂在 u 旁边，"
            "这条边上没有梯度流过，所以在 z = u_ + x*y 里 2x 被当作常数 6。因此 x.grad 是 "
            "6（= y），而不是 8。"
        ),
    },
    source="""\
import torch
x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6.)
y.requires_grad_(True)
u = 2*x
u_ = u.detach()  # same value, outside the graph
z = u_ + x*y  # u_ is a constant here
z.backward()
print(x.grad)  # tensor(6.): only the x*y path is left
""",
)

DATA_VS_DETACH = Lesson(
    id="data-vs-detach",
    title={
        "en": ".data vs .detach() after an in-place edit",
        "zh": ".data 与 .detach()：原地修改后的区别",
    },
    explanation={
        "en": (
            "b_ = b.data and c_ = c.detach() both share storage with the tensor they come "
            "from, so zeroing them in place zeroes b and c too (the console prints "
            "tensor([0., 0., 0.], grad_fn=<AddBackward0>)). Autograd is not told about the "
            "edit through .data: loss.backward() silently uses the zeroed b, and a.grad is "
            "[0., 0., 0.] instead of the correct [6., 1.33, 1.33]. The edit through .detach() "
            "bumps c's version counter, so the second backward stops with PyTorch's "
            "RuntimeError '... modified by an inplace operation'; prefer .detach(), since a "
            "loud error beats a wrong gradient."
        ),
        "zh": (
            "b_ = b.data 和 c_ = c.detach() 都与原张量共享存储空间，对它们原地清零，"
            "b 和 c 也跟着变成 0（控制台打印 tensor([0., 0., 0.], grad_fn=<AddBackward0>)）。"
            "通过 .data 做的修改不会被自动求导系统记录：loss.backward() 悄悄用了被清零的 b，"
            "a.grad 变成 [0., 0., 0.]，而正确结果应是 [6., 1.33, 1.33]。通过 .detach() "
            "做的修改会让 c 的版本号加一，第二次反向传播直接报 RuntimeError“... modified by "
            "an inplace operation”。所以建议用 .detach()：报错总比悄悄算错好调试得多。"
        ),
    },
    source="""\
import torch
a = torch.tensor([7., 0, 0], requires_grad=True)
b = a + 2
loss = torch.mean(b * b)
b_ = b.data  # shares storage with b; autograd is not told
b_.zero_()
print(b)
loss.backward()
print(a.grad)  # tensor([0., 0., 0.]): silently wrong
c = a + 2
loss2 = torch.mean(c * c)
c_ = c.detach()  # shares storage and the version counter
c_.zero_()
print(c)
loss2.backward()  # RuntimeError: modified by an inplace operation
""",
)

NO_GRAD = Lesson(
    id="no-grad",
    title={
        "en": "torch.no_grad(): compute without recording",
        "zh": "torch.no_grad()：只计算，不记录计算图",
    },
    explanation={
        "en": (
            "Inside with torch.no_grad(): PyTorch still computes values but records nothing, so "
            "u = 2x comes out with requires_grad=False and grad_fn None, as if it were "
            "detached, and it is not connected to x in the graph. z = u + x*y therefore has "
            "only the x*y path back to x, and x.grad is 6 = y. Use it for evaluation and for "
            "updating parameters, where no graph is needed."
        ),
        "zh": (
            "在 with torch.no_grad(): 里面，PyTorch 照常计算数值，但不记录计算图，所以 u = 2x "
            "的 requires_grad 为 False、grad_fn 为 None，效果和 detach 一样，图中它和 x 之间"
            "没有边相连。于是 z = u + x*y 回到 x 的路径只剩 x*y 这一条，x.grad = y = 6。"
            "评估模型、更新参数这类不需要求导的场合都应该这样写，既省计算又省内存。"
        ),
    },
    source="""\
import torch
x = torch.tensor(3., requires_grad=True)
y = torch.tensor(6., requires_grad=True)
with torch.no_grad():
    u = 2*x  # computed, but not recorded
print(u.requires_grad, u.grad_fn)  # False None
z = u + x*y
z.backward()
print(x.grad)  # tensor(6.): the 2x path is not in the graph
""",
)

NON_SCALAR_BACKWARD = Lesson(
    id="non-scalar-backward",
    title={
        "en": "backward() on a vector needs a gradient",
        "zh": "对向量调用 backward() 要传 gradient 参数",
    },
    explanation={
        "en": (
            "backward() without an argument only works on a scalar: backward needs a starting "
            "gradient, and PyTorch can only make the implicit 1 for a single number. y = x * x "
            "has three elements, so y.backward() raises PyTorch's RuntimeError 'grad can be "
            "implicitly created only for scalar outputs'. Replace that line with one of the "
            "commented fixes, y.backward(torch.ones(3)) or y.sum().backward() (they are the "
            "same), and x.grad becomes [2., 4., 6.] = 2x."
        ),
        "zh": (
            "不带参数的 backward() 只能用在标量上：反向传播需要一个起始梯度，而 PyTorch 只会为"
            "单个数自动补上 1。y = x * x 有三个元素，所以 y.backward() 报 RuntimeError“grad can "
            "be implicitly created only for scalar outputs”。把这一行换成注释里的任意一种改法，"
            "y.backward(torch.ones(3)) 或 y.sum().backward()（两者等价），x.grad 就是 "
            "[2., 4., 6.]，也就是 2x。"
        ),
    },
    source="""\
import torch
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * x  # a vector, not a scalar
print(y)
y.backward()  # RuntimeError: y has three elements
# the fix: give the gradient, or reduce to a scalar first
# y.backward(torch.ones(3))
# y.sum().backward()
""",
)

JACOBIAN = Lesson(
    id="jacobian-row-sums",
    title={
        "en": "Vector output: the gradient argument sums the Jacobian's rows",
        "zh": "向量求导：gradient 参数与雅可比矩阵行向量之和",
    },
    explanation={
        "en": (
            "c has two elements, so c.backward() needs a gradient of c's shape; with "
            "torch.ones(1, 2) PyTorch computes ones times the Jacobian, which is the sum of its "
            "rows. The Jacobian of c = [[2a0² + 2a1, 2a1³ + 2a0]] with respect to a is "
            "[[8, 2], [2, 96]], so a.grad is [[10., 98.]]. In the graph, b was filled by two "
            "in-place writes (CopySlices nodes), so its version is 2."
        ),
        "zh": (
            "c 有两个元素，调用 backward() 时必须传入一个与 c 形状相同的 gradient 参数；传 "
            "torch.ones(1, 2) 时，PyTorch 算的是全 1 向量乘雅可比矩阵，也就是雅可比矩阵各行向量"
            "之和。c = [[2a0² + 2a1, 2a1³ + 2a0]] 关于 a 的雅可比矩阵是 [[8, 2], [2, 96]]，"
            "所以 a.grad 为 [[10., 98.]]。图中 b 是经过两次原地赋值（CopySlices 节点）填好的，"
            "所以它的版本号是 2。"
        ),
    },
    source="""\
import torch
a = torch.tensor([[2., 4.]], requires_grad=True)
b = torch.zeros(1, 2)
b[0, 0] = a[0, 0]**2 + a[0, 1]
b[0, 1] = a[0, 1]**3 + a[0, 0]
c = 2*b
c.backward(torch.ones(1, 2))  # the gradient argument
print(a.grad)  # rows of the Jacobian [[8, 2], [2, 96]] summed
""",
)

PATH_SUMS = Lesson(
    id="path-sums",
    title={
        "en": "y = (x + w)(w + 1): add up every path",
        "zh": "y = (x + w)(w + 1)：把所有路径上的导数相加",
    },
    explanation={
        "en": (
            "w reaches y along two paths, through a = x + w and through b = w + 1, and the chain "
            "rule adds them: dy/dw = dy/da · da/dw + dy/db · db/dw = b + a. With w = 1 and x = 2 "
            "that is 2 + 3, so w.grad is [5.], while x has a single path and x.grad is [2.] = b. "
            "In the graph, find w's AccumulateGrad node and the two edges leaving it, which "
            "carry 2 and 3."
        ),
        "zh": (
            "w 通过两条路径影响 y：一条经过 a = x + w，一条经过 b = w + 1，链式法则把两条路径上"
            "的导数加起来：∂y/∂w = ∂y/∂a·∂a/∂w + ∂y/∂b·∂b/∂w = b + a。取 w = 1、x = 2，就是 "
            "2 + 3，所以 w.grad 为 [5.]；x 只有一条路径，x.grad = b = [2.]。在图中找到 w 的 "
            "AccumulateGrad 节点，看它连出的两条边分别带着 2 和 3。"
        ),
    },
    source="""\
import torch
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)  # a = x + w
b = torch.add(w, 1)  # b = w + 1
y = torch.mul(a, b)  # y = (x + w)(w + 1)
y.backward()
print(w.grad)  # b + a = 2 + 3: one term per path from y to w
print(x.grad)  # b = 2
""",
)

GRADIENT_DESCENT_STEP = Lesson(
    id="gradient-descent-step",
    title={"en": "One step of gradient descent", "zh": "一步梯度下降"},
    explanation={
        "en": (
            "One training step of the notes' linear regression on two samples: the squared "
            "loss, backward, then the sgd update inside torch.no_grad(). From w = 0 and b = 0 "
            "the loss is 30.5 and the gradients are w.grad = [[-23.], [-34.]] and "
            "b.grad = [-11.]; each parameter moves by -lr · grad / batch_size, so w becomes "
            "[[1.15], [1.7]] and b becomes [0.55]. The update is not recorded in the graph, "
            "zero_() clears the gradients for the next batch, and the loss drops to about 11.5."
        ),
        "zh": (
            "笔记里线性回归的一步训练，用两个样本演示：先算平方损失并反向传播，再在 "
            "torch.no_grad() 里按 sgd 更新参数。从 w = 0、b = 0 出发，损失是 30.5，梯度为 "
            "w.grad = [[-23.], [-34.]]、b.grad = [-11.]；每个参数减去 lr × 梯度 / batch_size，"
            "于是 w 变成 [[1.15], [1.7]]，b 变成 [0.55]。更新这一步不会记录到计算图里，"
            "zero_() 把梯度清零留给下一个批量，损失降到约 11.5。"
        ),
    },
    source="""\
import torch
X = torch.tensor([[1., 2.], [3., 4.]])  # two samples, two features
y = torch.tensor([[5.], [6.]])
w = torch.zeros(2, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr, batch_size = 0.1, 2
loss = ((torch.matmul(X, w) + b - y)**2 / 2).sum()  # squared loss
loss.backward()
print(loss, w.grad, b.grad)
with torch.no_grad():  # update the parameters without recording
    for param in [w, b]:
        param -= lr * param.grad / batch_size
        param.grad.zero_()
print(w, b)
print(((torch.matmul(X, w) + b - y)**2 / 2).sum())  # the loss went down
""",
)

AUTOGRAD_LESSONS: tuple[Lesson, ...] = (
    MATH_FIRST,
    WALK_THROUGH,
    REQUIRES_GRAD_PROPAGATION,
    RETAIN_GRAPH,
    BACKWARD_TWICE,
    ACCUMULATE_ZERO,
    RETAIN_GRAD,
    DETACH,
    DATA_VS_DETACH,
    NO_GRAD,
    NON_SCALAR_BACKWARD,
    JACOBIAN,
    PATH_SUMS,
    GRADIENT_DESCENT_STEP,
)

# ------------------------------------------------------------------ training (functions, nn, optim)
# Longer programs than the lessons above (a whole training run each), tested in
# tests/test_training.py. Where a lesson knows the true parameters, `truth` holds them for the
# chart (and its explanation states them: w = [2, -3.4], b = 4.2).

LINEAR_REGRESSION_SCRATCH = Lesson(
    id="linear-regression-scratch",
    truth={"w": [2.0, -3.4], "b": 4.2},
    title={"en": "Linear regression from scratch", "zh": "线性回归从零开始实现"},
    explanation={
        "en": (
            "The notes' first training loop, written with plain functions: synthetic_data makes "
            "1,000 samples from the true parameters w = [2, -3.4] and b = 4.2 plus noise with "
            "standard deviation 0.01, data_iter cuts a shuffled order (torch.randperm instead of "
            "random.shuffle and yield) into batches of 10, and sgd updates w and b under "
            "torch.no_grad() before zeroing their gradients. After 3 epochs with lr = 0.03 the "
            "loss is about 0.00005 and the estimates are within 0.002 of the truth. The training "
            "chart follows the loss and w, b at every backward call; the graph is the last "
            "iteration's."
        ),
        "zh": (
            "笔记里第一个完整的训练循环，全部用自己写的函数实现：synthetic_data 按真实参数 "
            "w = [2, -3.4]、b = 4.2 生成 1000 个样本并加上标准差为 0.01 的噪声，data_iter 把打乱"
            "后的顺序（这里用 torch.randperm 代替 random.shuffle 和 yield）切成大小为 10 的小批量，"
            "sgd 在 torch.no_grad() 下更新 w 和 b，然后把梯度清零。学习率 0.03 训练 3 个 epoch 后，"
            "损失降到约 0.00005，估计值和真实参数的误差都在 0.002 以内。训练曲线记录每次反向传播"
            "时的损失和 w、b，计算图显示的是最后一次迭代。"
        ),
    },
    source="""\
import torch

def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))

def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = torch.randperm(num_examples)  # a shuffled order of the samples
    batches = []
    for i in range(0, num_examples, batch_size):
        batch_indices = indices[i: min(i + batch_size, num_examples)]
        batches.append((features[batch_indices], labels[batch_indices]))
    return batches

def linreg(X, w, b):
    return torch.matmul(X, w) + b

def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()

true_w = torch.tensor([2, -3.4])
true_b = 4.2
features, labels = synthetic_data(true_w, true_b, 1000)
w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr, num_epochs, batch_size = 0.03, 3, 10
net, loss = linreg, squared_loss
for epoch in range(num_epochs):
    for X, y in data_iter(batch_size, features, labels):
        l = loss(net(X, w, b), y)
        l.sum().backward()
        sgd([w, b], lr, batch_size)
    with torch.no_grad():
        train_l = loss(net(features, w, b), labels)
        print(f'epoch {epoch + 1}, loss {float(train_l.mean()):f}')
print(f'error in estimating w: {true_w - w.reshape(true_w.shape)}')
print(f'error in estimating b: {true_b - b}')
""",
)

LINEAR_REGRESSION_CONCISE = Lesson(
    id="linear-regression-concise",
    truth={"net.0.weight": [[2.0, -3.4]], "net.0.bias": [4.2]},
    title={"en": "Linear regression, the concise way", "zh": "线性回归的简洁实现"},
    explanation={
        "en": (
            "The same regression with PyTorch's building blocks: a TensorDataset and a shuffling "
            "DataLoader deliver batches of 10, nn.Sequential(nn.Linear(2, 1)) is the model, "
            "nn.MSELoss() the loss and torch.optim.SGD(net.parameters(), lr=0.03) the update. "
            "Each iteration is trainer.zero_grad(), l.backward(), trainer.step(), and the "
            "parameters net.0.weight and net.0.bias are the graph's leaves. The data come from "
            "the true w = [2, -3.4] and b = 4.2, and after 3 epochs the estimates are within "
            "0.002 of them."
        ),
        "zh": (
            "用 PyTorch 提供的模块重新实现同一个线性回归：TensorDataset 和打乱顺序的 DataLoader "
            "每次给出 10 个样本，模型是 nn.Sequential(nn.Linear(2, 1))，损失函数是 nn.MSELoss()，"
            "优化器是 torch.optim.SGD(net.parameters(), lr=0.03)。每次迭代依次调用 "
            "trainer.zero_grad()、l.backward()、trainer.step()，计算图的叶子节点就是参数 "
            "net.0.weight 和 net.0.bias。数据由真实参数 w = [2, -3.4]、b = 4.2 生成，训练 3 个 "
            "epoch 后估计值与真实值的误差在 0.002 以内。"
        ),
    },
    source="""\
import torch
from torch import nn
from torch.utils import data

true_w = torch.tensor([2, -3.4])
true_b = 4.2
features = torch.normal(0, 1, (1000, 2))
labels = torch.matmul(features, true_w) + true_b
labels += torch.normal(0, 0.01, labels.shape)
labels = labels.reshape((-1, 1))

def load_array(data_arrays, batch_size, is_train=True):
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)

data_iter = load_array((features, labels), 10)
net = nn.Sequential(nn.Linear(2, 1))
net[0].weight.data.normal_(0, 0.01)
net[0].bias.data.fill_(0)
loss = nn.MSELoss()
trainer = torch.optim.SGD(net.parameters(), lr=0.03)
for epoch in range(3):
    for X, y in data_iter:
        l = loss(net(X), y)
        trainer.zero_grad()
        l.backward()
        trainer.step()
    l = loss(net(features), labels)
    print(f'epoch {epoch + 1}, loss {l:f}')
w = net[0].weight.data
print('error in estimating w:', true_w - w.reshape(true_w.shape))
b = net[0].bias.data
print('error in estimating b:', true_b - b)
""",
)

QUADRATIC_MINIMUM = Lesson(
    id="quadratic-minimum",
    title={
        "en": "Minimising f(x) = a*x**2 + b*x + c with optim.SGD",
        "zh": "用 optim.SGD 求 f(x) = a*x**2 + b*x + c 的最小值",
    },
    explanation={
        "en": (
            "An optimizer does not care whether x is a network weight: here it is a single leaf, "
            "and f(x) = x**2 - 2x + 1 = (x - 1)**2 has its minimum at x = 1. Each of the 500 "
            "iterations clears the gradient with optimizer.zero_grad(), computes y = f(x), calls "
            "y.backward() to get dy/dx = 2x - 2, and lets optimizer.step() move x by -0.01 times "
            "that gradient. The chart shows x creeping towards 1 while y falls towards 0."
        ),
        "zh": (
            "优化器并不在乎 x 是不是神经网络的权重：这里 x 只是一个叶子张量，"
            "f(x) = x**2 - 2x + 1 = (x - 1)**2 在 x = 1 处取得最小值。500 次迭代中，每次先用 "
            "optimizer.zero_grad() 清零梯度，再计算 y = f(x)，调用 y.backward() 得到 "
            "dy/dx = 2x - 2，最后由 optimizer.step() 把 x 沿负梯度方向移动 0.01 倍梯度。"
            "训练曲线上可以看到 x 逐渐逼近 1，y 逐渐降到 0。"
        ),
    },
    source="""\
import torch
# f(x) = a*x**2 + b*x + c = (x - 1)**2 is smallest at x = 1
x = torch.tensor(0.0, requires_grad=True)
a = torch.tensor(1.0)
b = torch.tensor(-2.0)
c = torch.tensor(1.0)
optimizer = torch.optim.SGD(params=[x], lr=0.01)

def f(x):
    result = a * torch.pow(x, 2) + b * x + c
    return result

for i in range(500):
    optimizer.zero_grad()
    y = f(x)
    y.backward()
    optimizer.step()
    if i % 100 == 0:
        print(i, y.item(), x.item())
print("y=", f(x).data, ";", "x=", x.data)
""",
)

LOGISTIC_REGRESSION = Lesson(
    id="logistic-regression",
    title={"en": "Logistic regression with BCELoss", "zh": "用 BCELoss 做逻辑回归"},
    explanation={
        "en": (
            "Logistic regression is a classifier: a linear layer followed by a sigmoid turns hours "
            "of study into the probability of passing. The notes' data are 1, 2 and 3 hours with "
            "labels 0, 0 and 1, and the binary cross-entropy -(y log y_hat + (1 - y) log(1 - "
            "y_hat)) summed over the samples is the loss (reduction='sum' is what the notes' "
            "size_average=False means). After 300 steps of SGD with lr = 0.1 the loss has fallen "
            "from 2.45 to about 0.6, and 4 hours of study give a probability of about 0.97."
        ),
        "zh": (
            "逻辑回归虽然叫回归，做的却是分类：线性层后面接一个 sigmoid，把学习时长映射成通过考试的"
            "概率。数据沿用笔记里的例子，学习 1、2、3 小时对应的标签是 0、0、1，"
            "损失函数是对所有样本求和的二元交叉熵 -(y log y_hat + (1 - y) log(1 - y_hat))"
            "（reduction='sum' 就是笔记里 "
            "size_average=False 的意思）。用学习率 0.1 的 SGD 训练 300 步后，损失从 2.45 降到约 "
            "0.6，学习 4 小时通过的概率约为 0.97。"
        ),
    },
    source="""\
import torch
from torch import nn
# hours of study -> failed (0) or passed (1)
x_data = torch.tensor([[1.0], [2.0], [3.0]])
y_data = torch.tensor([[0.0], [0.0], [1.0]])
model = nn.Sequential(nn.Linear(1, 1), nn.Sigmoid())
criterion = nn.BCELoss(reduction='sum')  # the notes' size_average=False
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(300):
    y_pred = model(x_data)
    loss = criterion(y_pred, y_data)
    if epoch % 50 == 0:
        print(epoch, loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print('w =', model[0].weight.item(), 'b =', model[0].bias.item())
print('4 hours:', model(torch.tensor([[4.0]])).data)
""",
)

GRADIENT_ACCUMULATION = Lesson(
    id="gradient-accumulation",
    truth={"net.weight": [[2.0, -3.4]], "net.bias": [4.2]},
    title={"en": "Gradient accumulation over two batches", "zh": "两个小批量的梯度累积"},
    explanation={
        "en": (
            "backward() adds to .grad instead of overwriting it, so two backward calls before one "
            "optimizer step train on both batches at once: that is gradient accumulation. Each "
            "half of the 20 samples contributes half of its mean squared error, and the "
            "accumulated net.weight.grad equals the gradient of the whole batch, which "
            "torch.autograd.grad computes without touching .grad. The data follow w = [2, -3.4] "
            "and b = 4.2 exactly, and the training chart shows two backward calls per step."
        ),
        "zh": (
            "backward() 会把梯度累加到 .grad 上而不是覆盖它，所以在一次 optimizer.step() 之前调用"
            "两次 backward()，就相当于同时用两个小批量训练，这就是梯度累积。20 个样本分成两半，每一"
            "半贡献自己均方误差的一半，累积得到的 net.weight.grad 和整个批量的梯度完全相同，后者用 "
            "torch.autograd.grad 计算，不会改动 .grad。数据严格按照 w = [2, -3.4]、b = 4.2 生成，"
            "训练曲线上每一步都对应两次反向传播。"
        ),
    },
    source="""\
import torch
from torch import nn
X = torch.normal(0, 1, (20, 2))
y = X @ torch.tensor([[2.0], [-3.4]]) + 4.2
net = nn.Linear(2, 1)
loss = nn.MSELoss()
trainer = torch.optim.SGD(net.parameters(), lr=0.1)
for epoch in range(30):
    trainer.zero_grad()
    for X_batch, y_batch in [(X[:10], y[:10]), (X[10:], y[10:])]:
        l = loss(net(X_batch), y_batch) / 2  # each batch is half of the data
        l.backward()  # the two batches' gradients add up in .grad
    if epoch == 0:
        whole, = torch.autograd.grad(loss(net(X), y), net.weight)
        print('two batches:', net.weight.grad, 'all 20 at once:', whole)
    trainer.step()  # one step for both batches
    if epoch % 10 == 9:
        print(epoch + 1, loss(net(X), y).item())
print(net.weight.data, net.bias.data)
""",
)

TRAINING_LESSONS: tuple[Lesson, ...] = (
    LINEAR_REGRESSION_SCRATCH,
    LINEAR_REGRESSION_CONCISE,
    QUADRATIC_MINIMUM,
    LOGISTIC_REGRESSION,
    GRADIENT_ACCUMULATION,
)

# The picker lists the autograd lessons first, then training.
LESSONS: tuple[Lesson, ...] = AUTOGRAD_LESSONS + TRAINING_LESSONS
