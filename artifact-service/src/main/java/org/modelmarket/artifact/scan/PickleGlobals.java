package org.modelmarket.artifact.scan;

import java.util.Map;
import java.util.Set;

/**
 * Which imports a pickle may make: an allow-list of the globals real PyTorch, NumPy and plain-Python checkpoints use.
 * Everything else makes a file unsafe; the deny-list only names the imports that certainly run code, which also count
 * in trailing bytes that are not a complete pickle (pickle runs them before it would fail).
 */
final class PickleGlobals {

    /** Python 2 module names that the unpickler maps to their Python 3 names (fix_imports). */
    private static final Map<String, String> PYTHON2_MODULES = Map.of(
            "__builtin__", "builtins",
            "copy_reg", "copyreg");

    private static final Set<String> ALLOWED = Set.of(
            // Containers a state dict and training metadata are built from.
            "collections.OrderedDict",
            "collections.defaultdict",
            "collections.Counter",
            "collections.deque",
            "builtins.set",
            "builtins.frozenset",
            "builtins.list",
            "builtins.dict",
            "builtins.tuple",
            "builtins.int",
            "builtins.float",
            "builtins.complex",
            "builtins.bool",
            "builtins.str",
            "builtins.bytes",
            "builtins.bytearray",
            "builtins.slice",
            "builtins.range",
            // Protocol 0-2 helpers: new-style objects (the class itself is a separate, checked import) and bytes.
            "copyreg._reconstructor",
            "_codecs.encode",
            "argparse.Namespace",
            // PyTorch tensors, parameters and storages (torch.save).
            "torch._utils._rebuild_tensor",
            "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_tensor_v3",
            "torch._utils._rebuild_parameter",
            "torch._utils._rebuild_parameter_with_state",
            "torch._utils._rebuild_qtensor",
            "torch._utils._rebuild_sparse_tensor",
            "torch._utils._rebuild_nested_tensor",
            "torch._utils._rebuild_meta_tensor_no_storage",
            "torch._utils._rebuild_wrapper_subclass",
            "torch._utils._rebuild_device_tensor_from_numpy",
            "torch._tensor._rebuild_from_type_v2",
            "torch.Size",
            "torch.device",
            "torch.strided",
            "torch.sparse_coo",
            "torch.per_tensor_affine",
            "torch.per_channel_affine",
            "torch.FloatStorage",
            "torch.DoubleStorage",
            "torch.HalfStorage",
            "torch.BFloat16Storage",
            "torch.LongStorage",
            "torch.IntStorage",
            "torch.ShortStorage",
            "torch.CharStorage",
            "torch.ByteStorage",
            "torch.BoolStorage",
            "torch.ComplexFloatStorage",
            "torch.ComplexDoubleStorage",
            "torch.QInt8Storage",
            "torch.QUInt8Storage",
            "torch.QInt32Storage",
            "torch.QUInt4x2Storage",
            "torch.QUInt2x4Storage",
            "torch.UntypedStorage",
            "torch.float16",
            "torch.float32",
            "torch.float64",
            "torch.bfloat16",
            "torch.complex64",
            "torch.complex128",
            "torch.int8",
            "torch.int16",
            "torch.int32",
            "torch.int64",
            "torch.uint8",
            "torch.bool",
            "torch.float8_e4m3fn",
            "torch.float8_e5m2",
            // NumPy arrays and scalars (NumPy 1.x and 2.x module names).
            "numpy.ndarray",
            "numpy.dtype",
            "numpy.core.multiarray._reconstruct",
            "numpy.core.multiarray.scalar",
            "numpy._core.multiarray._reconstruct",
            "numpy._core.multiarray.scalar");

    /** Modules whose every attribute can run commands, open files or sockets, or load code. */
    private static final Set<String> DENIED_MODULES = Set.of(
            "os",
            "posix",
            "nt",
            "subprocess",
            "socket",
            "shutil",
            "sys",
            "runpy",
            "pty",
            "webbrowser",
            "requests",
            "urllib",
            "http",
            "ftplib",
            "smtplib",
            "telnetlib",
            "importlib",
            "ctypes",
            "code",
            "codeop",
            "commands",
            "pdb",
            "bdb",
            "pickle",
            "_pickle",
            "marshal",
            "multiprocessing",
            "asyncio",
            "tempfile",
            "pathlib",
            "io",
            "_io",
            "types",
            "platform",
            "signal");

    /** Built-ins that evaluate code, open files, import modules or reach arbitrary attributes. */
    private static final Set<String> DENIED_BUILTINS = Set.of(
            "eval",
            "exec",
            "compile",
            "open",
            "__import__",
            "getattr",
            "setattr",
            "delattr",
            "globals",
            "locals",
            "vars",
            "breakpoint",
            "input",
            "execfile",
            "file",
            "reload");

    private PickleGlobals() {}

    /** The import as the unpickler resolves it: {@code module.name} with Python 2 module names mapped. */
    static String qualified(PickleReader.Global global) {
        return PYTHON2_MODULES.getOrDefault(global.module(), global.module()) + "." + global.name();
    }

    static boolean allowed(PickleReader.Global global) {
        return ALLOWED.contains(qualified(global));
    }

    static boolean denied(PickleReader.Global global) {
        String module = PYTHON2_MODULES.getOrDefault(global.module(), global.module());
        String topLevel = module.contains(".") ? module.substring(0, module.indexOf('.')) : module;
        if (DENIED_MODULES.contains(topLevel)) {
            return true;
        }
        String name = global.name().contains(".")
                ? global.name().substring(0, global.name().indexOf('.'))
                : global.name();
        return module.equals("builtins") && DENIED_BUILTINS.contains(name);
    }
}
