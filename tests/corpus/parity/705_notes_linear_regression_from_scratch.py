# notes: 000_24202b48501ea4cd#11, 000_24202b48501ea4cd#12, 000_24202b48501ea4cd#13, 000_24202b48501ea4cd#14, 000_24202b48501ea4cd#16, 000_24202b48501ea4cd#17, 000_24202b48501ea4cd#18, 000_24202b48501ea4cd#19, 000_24202b48501ea4cd#20, 000_24202b48501ea4cd#21, 000_24202b48501ea4cd#22
# The chapter's cells in order. Left out: `%matplotlib inline` (a notebook magic for plots) and
# `from d2l import torch as d2l` (nothing below uses it); the batch printed under #17 is output.
import random #产生随机数的包
import torch #导入pytorch框架
#建立生成数据集函数
def synthetic_data(w, b, num_examples):  #w为权重,b为偏置,num_examples为生成数据集个数
    """生成y=Xw+b+噪声"""
    X = torch.normal(0, 1, (num_examples, len(w))) 
    #随机生成一个形状为(num_examples, len(w))的张量,本例为(1000,2)的张量
    #且数值满足均值为0标准差为1的正态分布
    #数据集的特征值
    
    
    y = torch.matmul(X, w) + b
    #符合该线性模型的输出
    #数据集的标签值
    
    y += torch.normal(0, 0.01, y.shape)
    #增加噪声项，改变线性结构,使数据接近线性分布,但不是线性分布
    
    return X, y.reshape((-1, 1))
	#返回数据集(特征值，标签值)
    #返回的标签值是行向量，无法与特征对应，将标签值行向量重塑为列向量
true_w = torch.tensor([2, -3.4])
true_b = 4.2
#模型参数

features, labels = synthetic_data(true_w, true_b, 1000) 
#传参，调用生成数据集函数，返回数据赋值给特征变量和标签变量
#features中的每一行都包含一个二维数据样本， labels中的每一行都包含一维标签值（一个标量）
#根据输入特征和标签,构建随机生成小批量数据集函数
#参数batch_size为批量大小,features输入特征,labels标签向量
def data_iter(batch_size, features, labels):  

    num_examples = len(features) #这里的len返回的是张量0轴的长度！！！！！差点把我绕晕了
    
    indices = list(range(num_examples))
    #indices是一个[0,1000)的随机列表
    #这些样本是随机读取的，没有特定的顺序
    
    random.shuffle(indices)
    #将列表indices中的元素打乱顺序,该方法不会生成新的列表,只是将原列表的次序打乱
    #该方法只能适用于list,并不适用于tensor
    
    
    
    #下面是代码核心,读明白花费了不少力气
    for i in range(0, num_examples, batch_size):
    #从0开始,到num_examples结束,每次步长为batch_size大小    
     
        #生成一个批量大小长度的随机索引,保存在batch_indices中
        #batch_indices中存储的是随机索引长度为batch_size
        #batch_indices虽是张量,但我感觉更像列表
        batch_indices = torch.tensor(
            indices[i: min(i + batch_size, num_examples)])
        	#每次拿取长度为batch_size随机索引出来,当最后一次拿取时超出长度,取最小值全拿出来
            
        yield features[batch_indices], labels[batch_indices]
        #关键字yield,可以理解为return,但返回完函数并不会结束,它会记录函数执行的位置
        #并在返回后继续执行,直到函数结束
batch_size = 5 #书上生成了10个，我生成5个看看怎么用的就行

for X, y in data_iter(batch_size, features, labels): #调用函数
    print(X, '\n', y)
    break #生成batch_size大小的数据集就ok了,不用再继续生成下一个batch_size大小的数据集
    
w = torch.normal(0, 0.01, size=(2,1), requires_grad=True)
b = torch.zeros(1, requires_grad=True)
def linreg(X, w, b):  #以函数的形式定义模型,计算的时候直接调用函数
    """线性回归模型"""
    return torch.matmul(X, w) + b #𝐲=𝐗𝐰+𝑏
def squared_loss(y_hat, y):  #@save
    """均方损失"""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2 #1/2(𝑦̂−𝑦)^2
					#重新塑形,保证与预测值形状相同
    #这里没有做均值,只是将全部的加起来了
#params参数(list),包含了w,b
#lr学习率,batch_size批量大小
def sgd(params, lr, batch_size):    
    """小批量随机梯度下降"""
    with torch.no_grad(): #表示该函数不要计算梯度,只用梯度进行运算
        for param in params: #遍历参数列表,对列表的每个参数进行更新
            param -= lr * param.grad / batch_size #更新参数,可概括为 新w = 旧w - 步长
            		#除以批量是因为损失函数没有做均值,这里补上,在损失函数中除效果也是一样的
            param.grad.zero_()#更新之后会选取下一组批量,梯度会重新计算,所以将该批量下的梯度清0
lr = 0.03 #设学习率为0.03
num_epochs = 3 #数据集扫描3次

net = linreg #net为定义的线性模型𝐲=𝐗𝐰+𝑏
loss = squared_loss #损失函数,均方损失
#以上两条都是将对应模型换名字,这样的好处比如模型发生改变了,直接更改net的赋值即可

for epoch in range(num_epochs): #扫描数据集3次
    for X, y in data_iter(batch_size, features, labels): 
        #每次拿出批量大小的X,y进行迭代,直至遍历完整个数据集
        
        l = loss(net(X, w, b), y)  #预测值与真实值做损失
        
        #因为l形状是(batch_size,1)，而不是一个标量。
        #向量如何求梯度,要么转换为标量,要么设置gradient参数
        #将l中的所有元素被加到一起,进行降维
        #并以此计算关于[w,b]的梯度
        l.sum().backward() #等价于l.backward(torch.ones(len(l)))
        
        sgd([w, b], lr, batch_size)  #使用参数的梯度更新参数
        #batch_size不是比较正确,因为最后取的数量可能不满足批量大小
        #但这里选择批量为10正好可以被1000整除所以不用担心这一点
        
    with torch.no_grad(): #扫描一次后对迭代参数进行评估,此时不需要计算梯度
        train_l = loss(net(features, w, b), labels) 
        #将新迭代的参数与特征数据集进行计算得到新的预测值,与标签数据集做损失
        print(f'epoch {epoch + 1}, loss {float(train_l.mean()):f}')
        #得迭代次数和损失均值,均值越小说明模型拟合越精确
print(f'w的估计误差: {true_w - w.reshape(true_w.shape)}')
print(f'b的估计误差: {true_b - b}')
