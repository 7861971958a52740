# The reference numbers of LbfgsTests.Rosenbrock_StepByStep_AsPyTorch: torch.optim.LBFGS (PyTorch 1.13.1, Debian's
# python3-torch) on the Rosenbrock function in float32 from (-1.5, 2), four step() calls of at most 5 iterations each.
# Then Rosenbrock_StrongWolfe_FromOtherStarts_AsPyTorch: other starts and learning rates, strong Wolfe.
# Prints: line search, step, loss returned by step(), x, y, state["n_iter"], state["func_evals"].
import torch
torch.set_printoptions(precision=9)
def rosen(p):
    x,y=p[0],p[1]
    return (1-x)**2+100*(y-x*x)**2
for ls in ['strong_wolfe', None]:
    p=torch.tensor([-1.5,2.0],dtype=torch.float32,requires_grad=True)
    opt=torch.optim.LBFGS([p],lr=1,max_iter=5,history_size=3,tolerance_grad=0,tolerance_change=0,line_search_fn=ls)
    def closure():
        opt.zero_grad(); l=rosen(p); l.backward(); return l
    for step in range(4):
        l0=opt.step(closure)
        st=opt.state[p]
        print(ls, step, repr(float(l0)), repr(float(p[0])), repr(float(p[1])), st['n_iter'], st['func_evals'])

for (x0, y0, lr) in [(2.0, -1.0, 1.0), (-1.2, 1.0, 5.0), (0.5, 3.0, 0.5)]:
    p = torch.tensor([x0, y0], dtype=torch.float32, requires_grad=True)
    opt = torch.optim.LBFGS([p], lr=lr, max_iter=5, history_size=3, tolerance_grad=0, tolerance_change=0, line_search_fn='strong_wolfe')
    def closure():
        opt.zero_grad(); l = rosen(p); l.backward(); return l
    out = []
    for step in range(4):
        l0 = opt.step(closure)
        st = opt.state[p]
        out += [float(l0), float(p[0]), float(p[1]), st['n_iter'], st['func_evals']]
    print(x0, y0, lr, ", ".join(repr(v) for v in out))
