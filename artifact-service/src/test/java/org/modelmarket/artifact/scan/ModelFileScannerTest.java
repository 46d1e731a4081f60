package org.modelmarket.artifact.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.Test;
import org.modelmarket.artifact.scan.ScanResult.Verdict;

/**
 * The pickle scanner on fixtures written by Python's own pickler ({@code src/test/resources/scan/make_fixtures.py}:
 * benign and hostile pickles of protocols 0 to 5, PyTorch zip and legacy checkpoints) and on opcode sequences built
 * here for the cases a pickler does not write by itself.
 */
class ModelFileScannerTest {

    private final ModelFileScanner scanner = new ModelFileScanner();

    @Test
    void benignPicklesOfEveryProtocolAreSafe() throws IOException {
        for (String fixture : new String[] {"benign-protocol0.pkl", "benign-protocol2.pkl", "benign-protocol4.pkl"}) {
            assertThat(scanFixture(fixture, fixture)).as(fixture).isEqualTo(safe());
        }
    }

    @Test
    void hostilePicklesNameTheirImports() throws IOException {
        assertThat(scanFixture("model.pkl", "malicious-os-system-protocol0.pkl"))
                .isEqualTo(unsafe("posix.system"));
        assertThat(scanFixture("model.pkl", "malicious-os-system-protocol4.pkl"))
                .isEqualTo(unsafe("posix.system"));
        assertThat(scanFixture("weights.pth", "malicious-eval-protocol5.pkl")).isEqualTo(unsafe("builtins.eval"));
    }

    @Test
    void pytorchZipCheckpointIsReadThroughItsCentralDirectory() throws IOException {
        assertThat(scanFixture("pytorch_model.bin", "pytorch-checkpoint.pt")).isEqualTo(safe());
        assertThat(scanFixture("model.ckpt", "pytorch-checkpoint-malicious.pt")).isEqualTo(unsafe("posix.system"));
    }

    @Test
    void pytorchLegacyCheckpointReadsEveryPickleAndSkipsTheRawTensors() throws IOException {
        assertThat(scanFixture("pytorch_model.bin", "pytorch-legacy.bin")).isEqualTo(safe());
    }

    @Test
    void hostileSecondPickleOfALegacyFileIsFound() throws IOException {
        byte[] first = fixture("benign-protocol2.pkl");
        byte[] second = fixture("malicious-os-system-protocol4.pkl");
        assertThat(scan("model.pt", concat(first, second, new byte[] {1, 2, 3})))
                .isEqualTo(unsafe("posix.system"));
    }

    @Test
    void stackGlobalResolvesStringsFetchedFromTheMemo() throws IOException {
        byte[] pickle = new Pickle()
                .proto(4)
                .shortUnicode("os")
                .op(0x94) // MEMOIZE as 0
                .op('0') // POP
                .op('h', 0) // BINGET 0
                .shortUnicode("system")
                .op(0x93) // STACK_GLOBAL
                .shortUnicode("id")
                .op(0x85) // TUPLE1
                .op('R')
                .op('.')
                .bytes();
        assertThat(scan("x.pkl", pickle)).isEqualTo(unsafe("os.system"));
    }

    @Test
    void stackGlobalOverAValueTheScannerCannotResolveIsUnsafe() throws IOException {
        byte[] pickle = new Pickle()
                .proto(4)
                .shortUnicode("builtins")
                .op('K', 7)
                .op(0x93) // STACK_GLOBAL with a number as its name
                .op('.')
                .bytes();
        ScanResult result = scan("x.pkl", pickle);
        assertThat(result.verdict()).isEqualTo(Verdict.UNSAFE);
        assertThat(result.findings()).singleElement().asString().contains("cannot resolve");
    }

    @Test
    void everyKindOfImportIsChecked() throws IOException {
        byte[] inst = new Pickle()
                .op('(')
                .text("S'ls'\n")
                .text("isubprocess\nPopen\n")
                .op('.')
                .bytes();
        assertThat(scan("x.pkl", inst)).isEqualTo(unsafe("subprocess.Popen"));

        byte[] python2Builtin =
                new Pickle().text("c__builtin__\ngetattr\n").op('.').bytes();
        assertThat(scan("x.pkl", python2Builtin)).isEqualTo(unsafe("builtins.getattr"));

        byte[] unknown = new Pickle()
                .proto(2)
                .text("cmylib.models\nNet\n")
                .op(')')
                .op('R')
                .op('.')
                .bytes();
        assertThat(scan("x.pkl", unknown)).isEqualTo(unsafe("mylib.models.Net"));

        byte[] extension = new Pickle().proto(2).op(0x82, 42).op('.').bytes();
        ScanResult viaRegistry = scan("x.pkl", extension);
        assertThat(viaRegistry.verdict()).isEqualTo(Verdict.UNSAFE);
        assertThat(viaRegistry.findings()).singleElement().asString().contains("extension registry code 42");
    }

    @Test
    void malformedPicklesAreInvalid() throws IOException {
        byte[] truncated = new Pickle().proto(4).shortUnicode("never stopped").bytes();
        assertThat(scan("x.pkl", truncated).verdict()).isEqualTo(Verdict.INVALID);

        byte[] badOpcode = new Pickle().proto(2).op(0xff).bytes();
        ScanResult result = scan("x.pt", badOpcode);
        assertThat(result.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(result.findings()).singleElement().asString().contains("invalid pickle opcode 0xff at byte 2");

        byte[] emptyStack = new Pickle().proto(2).op('R').op('.').bytes();
        assertThat(scan("x.pkl", emptyStack).verdict()).isEqualTo(Verdict.INVALID);
    }

    @Test
    void hugeLengthPrefixesAreSkippedNotAllocated() throws IOException {
        // BINBYTES8 claiming 1 TiB in a 20-byte file: the scanner seeks, finds the end, and reports truncation.
        byte[] pickle =
                new Pickle().proto(4).op(0x8e).littleEndian(1L << 40, 8).op('.').bytes();
        assertThat(scan("x.pkl", pickle).verdict()).isEqualTo(Verdict.INVALID);
    }

    @Test
    void rawBinFilesAreNotScannedUnlessTheyCarryADeniedImport() throws IOException {
        ByteBuffer floats = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 1024; i++) {
            floats.putFloat(i * 0.25f);
        }
        ScanResult raw = scan("model.bin", floats.array());
        assertThat(raw.verdict()).isEqualTo(Verdict.NOT_SCANNED);
        assertThat(raw.findings()).containsExactly("neither a pickle nor a zip archive");

        // A protocol 0 pickle hidden in a .bin runs os.system before the unpickler meets the garbage after it.
        byte[] hidden =
                concat(new Pickle().text("cos\nsystem\n").text("(S'id'\ntR").bytes(), new byte[] {(byte) 0xff, 0x00});
        assertThat(scan("model.bin", hidden)).isEqualTo(unsafe("os.system"));
    }

    @Test
    void zipArchivesWithoutPicklesOrBrokenOnesAreReported() throws IOException {
        byte[] noPickles = zip("model/weights.npy", new byte[] {1, 2, 3});
        assertThat(scan("model.pt", noPickles))
                .isEqualTo(new ScanResult(Verdict.NOT_SCANNED, java.util.List.of("zip archive without pickles")));

        byte[] broken = concat("PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1), new byte[100]);
        ScanResult result = scan("model.pt", broken);
        assertThat(result.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(result.findings()).singleElement().asString().startsWith("not a readable zip archive");

        byte[] torchScript = zip("model/constants.pkl", fixture("malicious-os-system-protocol4.pkl"));
        assertThat(scan("traced.pt", torchScript)).isEqualTo(unsafe("posix.system"));
    }

    @Test
    void otherFilesAreNotScanned() throws IOException {
        assertThat(scan("README.md", fixture("malicious-os-system-protocol0.pkl")))
                .isEqualTo(ScanResult.notScanned());
        assertThat(scan("model.onnx", new byte[] {8, 1})).isEqualTo(ScanResult.notScanned());
    }

    @Test
    void scanningLeavesTheCallersChannelOpen() throws IOException {
        SeekableInMemoryByteChannel channel = new SeekableInMemoryByteChannel(fixture("pytorch-checkpoint.pt"));
        scanner.scan("model.pt", channel, channel.size());
        assertThat(channel.isOpen()).isTrue();
        scanner.scan("model.pkl", channel, channel.size());
        assertThat(channel.isOpen()).isTrue();
    }

    // --- helpers

    static ScanResult safe() {
        return new ScanResult(Verdict.SAFE, java.util.List.of());
    }

    static ScanResult unsafe(String... findings) {
        return new ScanResult(Verdict.UNSAFE, java.util.List.of(findings));
    }

    private ScanResult scanFixture(String path, String fixture) throws IOException {
        return scan(path, fixture(fixture));
    }

    private ScanResult scan(String path, byte[] content) throws IOException {
        SeekableInMemoryByteChannel channel = new SeekableInMemoryByteChannel(content);
        channel.position(content.length / 2); // the scanner must seek by itself
        return scanner.scan(path, channel, content.length);
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = ModelFileScannerTest.class.getResourceAsStream("/scan/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] zip(String entryName, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            ZipEntry entry = new ZipEntry(entryName);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(content.length);
            CRC32 crc = new CRC32();
            crc.update(content);
            entry.setCrc(crc.getValue());
            zip.putNextEntry(entry);
            zip.write(content);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** Writes pickle opcodes by hand. */
    static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle proto(int version) {
            return op(0x80, version);
        }

        Pickle op(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        Pickle text(String text) {
            out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
            return this;
        }

        Pickle shortUnicode(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            out.write(0x8c);
            out.write(utf8.length);
            out.writeBytes(utf8);
            return this;
        }

        Pickle littleEndian(long value, int width) {
            for (int i = 0; i < width; i++) {
                out.write((int) (value >>> (8 * i)) & 0xff);
            }
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
