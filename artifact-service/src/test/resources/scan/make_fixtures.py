#!/usr/bin/env python3
"""Writes the scanner's test fixtures with the standard library's pickle only (no torch, nothing is ever loaded).

Run from this folder: python3 make_fixtures.py. The output is committed; the tests never run Python.
Malicious pickles are made by pickling objects whose __reduce__ names a dangerous callable; pickling only writes
the name, it runs nothing. PyTorch's globals come from stand-in modules registered in sys.modules, so the bytes are
what torch.save writes for a small state dict (same opcodes, globals and persistent ids).
"""
import collections
import io
import os
import pickle
import struct
import sys
import types
import zipfile


def module(name, **members):
    mod = types.ModuleType(name)
    for key, value in members.items():
        value.__module__ = name
        value.__qualname__ = key
        setattr(mod, key, value)
    sys.modules[name] = mod
    return mod


def _rebuild_tensor_v2(*args):
    raise AssertionError("never called")


class FloatStorage:
    pass


torch = module("torch", FloatStorage=FloatStorage)
torch_utils = module("torch._utils", _rebuild_tensor_v2=_rebuild_tensor_v2)


class Storage:
    def __init__(self, key, numel):
        self.key, self.numel = key, numel


class Tensor:
    def __init__(self, storage, shape):
        self.storage, self.shape = storage, shape

    def __reduce__(self):
        stride = tuple(int(x) for x in strides(self.shape))
        return (_rebuild_tensor_v2, (self.storage, 0, self.shape, stride, False, collections.OrderedDict()))


def strides(shape):
    out, acc = [], 1
    for dim in reversed(shape):
        out.insert(0, acc)
        acc *= dim
    return out


class TorchPickler(pickle.Pickler):
    """torch.save's persistent ids: ('storage', storage type, key, location, numel)."""

    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", FloatStorage, obj.key, "cpu", obj.numel)
        return None


def state_dict():
    return collections.OrderedDict([
        ("linear.weight", Tensor(Storage("0", 6), (2, 3))),
        ("linear.bias", Tensor(Storage("1", 2), (2,))),
    ])


def torch_pickle(obj):
    out = io.BytesIO()
    TorchPickler(out, protocol=2).dump(obj)
    return out.getvalue()


def torch_zip(path, pickled):
    """The zip layout of torch.save since 1.6: <name>/data.pkl, byteorder, data/<key>, version (stored, uncompressed)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("checkpoint/data.pkl", pickled)
        archive.writestr("checkpoint/byteorder", "little")
        archive.writestr("checkpoint/data/0", struct.pack("<6f", 1, 2, 3, 4, 5, 6))
        archive.writestr("checkpoint/data/1", struct.pack("<2f", 0.5, -0.5))
        archive.writestr("checkpoint/version", "3\n")
        archive.writestr("checkpoint/.data/serialization_id", "1234567890")


class System:
    """Pickles as os.system('...'): what a hostile checkpoint carries."""

    def __reduce__(self):
        return (os.system, ("echo pwned",))


class Eval:
    def __reduce__(self):
        return (eval, ("__import__('os').system('echo pwned')",))


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


write("benign-protocol2.pkl", pickle.dumps({"lr": 0.001, "layers": [1, 2, 3], "name": "resnet"}, protocol=2))
write("benign-protocol4.pkl", pickle.dumps(collections.OrderedDict(a=1, b=(2.5, b"x" * 300)), protocol=4))
write("benign-protocol0.pkl", pickle.dumps({"set": {1, 2}, "tuple": (1, "a")}, protocol=0))
write("malicious-os-system-protocol0.pkl", pickle.dumps({"model": System()}, protocol=0))
write("malicious-os-system-protocol4.pkl", pickle.dumps({"model": System()}, protocol=4))
write("malicious-eval-protocol5.pkl", pickle.dumps([Eval()], protocol=5))
torch_zip("pytorch-checkpoint.pt", torch_pickle({"state_dict": state_dict(), "epoch": 3}))
torch_zip("pytorch-checkpoint-malicious.pt", torch_pickle({"state_dict": state_dict(), "hook": System()}))
# torch.save's legacy format (before 1.6): five pickles (magic number, protocol, sys info, object, storage keys),
# then each storage's raw bytes.
legacy = io.BytesIO()
for obj in (0x1950A86A20F9469CFC6C, 1001, {"protocol_version": 1001, "little_endian": True}):
    pickle.dump(obj, legacy, protocol=2)
legacy.write(torch_pickle(state_dict()))
pickle.dump(["0", "1"], legacy, protocol=2)
legacy.write(struct.pack("<q6f", 6, 1, 2, 3, 4, 5, 6) + struct.pack("<q2f", 2, 0.5, -0.5))
write("pytorch-legacy.bin", legacy.getvalue())
