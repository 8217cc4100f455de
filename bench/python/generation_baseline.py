"""Python/PyTorch twin of the C++ rollout engine, for bench_generation.

Same model (GPT-style, learned positions, pre-norm, fused QKV, tied head),
same loop: left-padded prefill, preallocated KV cache written in place,
inverse-CDF sampling with host uniforms, one host sync per step.
Prints {"<batch>": tokens_per_second, ...} as JSON.
"""
import argparse
import ctypes
import json
import math
import time

import torch


class Block(torch.nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads, self.hd = heads, d // heads
        self.ln1, self.ln2 = torch.nn.LayerNorm(d), torch.nn.LayerNorm(d)
        self.qkv, self.proj = torch.nn.Linear(d, 3 * d), torch.nn.Linear(d, d)
        self.fc, self.out = torch.nn.Linear(d, 4 * d), torch.nn.Linear(4 * d, d)

    def forward(self, x, mask, cache, start):
        B, T, _ = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, T, 3, self.heads, self.hd).permute(2, 0, 3, 1, 4)
        kc, vc = cache
        kc[:, :, start:start + T].copy_(k)
        vc[:, :, start:start + T].copy_(v)
        k, v = kc[:, :, :start + T], vc[:, :, :start + T]
        att = torch.matmul(q, k.transpose(-2, -1)).mul_(1.0 / math.sqrt(self.hd))
        att = torch.softmax(att.add_(mask), dim=-1)
        y = torch.matmul(att, v).transpose(1, 2).reshape(B, T, -1)
        h = x + self.proj(y)
        return h + self.out(torch.nn.functional.gelu(self.fc(self.ln2(h))))


class Model(torch.nn.Module):
    def __init__(self, vocab=512, d=256, layers=4, heads=4, ctx=512):
        super().__init__()
        self.tok, self.pos = torch.nn.Embedding(vocab, d), torch.nn.Embedding(ctx, d)
        self.blocks = torch.nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln_f = torch.nn.LayerNorm(d)
        self.d, self.heads = d, heads

    def forward(self, tokens, positions, mask, caches, start):
        x = self.tok(tokens) + self.pos(positions)
        for block, cache in zip(self.blocks, caches):
            x = block(x, mask, cache, start)
        return torch.matmul(self.ln_f(x), self.tok.weight.t())


def set_blas_threads(n):
    """The C++ engine decodes with one OpenBLAS thread (core/system/blas_threads.h); do the same."""
    try:
        with open("/proc/self/maps") as maps:
            path = next(line.split()[-1] for line in maps if "openblas" in line)
        lib = ctypes.CDLL(path)
        previous = lib.openblas_get_num_threads()
        lib.openblas_set_num_threads(n)
        return previous
    except (AttributeError, OSError, StopIteration):
        return 0


@torch.inference_mode()
def generate(model, prompts, new_tokens, gen):
    previous = set_blas_threads(1)
    try:
        return decode(model, prompts, new_tokens, gen)
    finally:
        if previous:
            set_blas_threads(previous)


def decode(model, prompts, new_tokens, gen):
    B, P = prompts.shape
    dev = prompts.device
    cap = P + new_tokens
    caches = [(torch.zeros(B, model.heads, cap, model.d // model.heads, device=dev),
               torch.zeros(B, model.heads, cap, model.d // model.heads, device=dev)) for _ in model.blocks]
    positions = torch.arange(P, device=dev).expand(B, P)
    causal = torch.full((P, P), float("-inf"), device=dev).triu(1).view(1, 1, P, P).expand(B, 1, P, P)
    logits = model(prompts, positions, causal, caches, 0)[:, -1]
    decode_mask = torch.zeros(B, 1, 1, cap, device=dev)
    out = []
    for step in range(new_tokens):
        logp = torch.log_softmax(logits, dim=-1)
        u = torch.rand(B, 1, generator=gen).to(dev)  # host uniforms, as the engine
        cdf = logp.exp().cumsum(-1)
        chosen = (cdf < u * cdf[:, -1:]).sum(-1).clamp_max(cdf.shape[1] - 1)
        lp = logp.gather(1, chosen.unsqueeze(1))
        out.append((chosen, lp))
        finished = bool((chosen < 0).all())  # the per-step host sync the engine also does
        if finished or step + 1 == new_tokens:
            break
        width = P + step
        logits = model(chosen.view(B, 1), torch.full((B, 1), width, device=dev), decode_mask[..., :width + 1],
                       caches, width)[:, 0]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batches", default="1,16,64")
    ap.add_argument("--new-tokens", type=int, default=256)
    ap.add_argument("--prompt", type=int, default=32)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--device", default="cpu")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dev = torch.device(a.device)
    model = Model().eval().to(dev)
    gen = torch.Generator().manual_seed(1)
    result = {}
    for batch in [int(b) for b in a.batches.split(",")]:
        prompts = torch.randint(4, 512, (batch, a.prompt)).to(dev)
        generate(model, prompts, a.new_tokens, gen)
        best = math.inf
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            generate(model, prompts, a.new_tokens, gen)
            if dev.type == "cuda":
                torch.cuda.synchronize(dev)
            best = min(best, time.perf_counter() - t0)
        result[str(batch)] = batch * a.new_tokens / best
    print(json.dumps(result))


if __name__ == "__main__":
    main()
