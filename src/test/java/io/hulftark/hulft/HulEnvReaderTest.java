package io.hulftark.hulft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hulftark.hulft.HulEnvException.Kind;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HulEnvReaderTest {

    private static final Charset MS932 = Charset.forName("MS932");

    @TempDir
    Path dir;

    private static HulEnv parse(String text) throws HulEnvException {
        return HulEnvReader.parse(text.getBytes(StandardCharsets.UTF_8), "hulenv.cnf");
    }

    private static HulEnvException invalid(String text) {
        HulEnvException e = assertThrows(HulEnvException.class, () -> parse(text));
        assertEquals(Kind.INVALID, e.kind());
        return e;
    }

    @Test
    void readsAllFivePortsAndHostName() throws Exception {
        HulEnv env = parse("""
                rcvport=30000
                obsport=31000
                sddport=32000
                srvcproport=33000
                schport=34000
                myhostname=hulft-vip
                """);
        assertEquals(Map.of("rcvport", 30000, "obsport", 31000, "sddport", 32000, "srvcproport", 33000,
                "schport", 34000), env.ports());
        assertEquals(Optional.of("hulft-vip"), env.myHostName());
    }

    @Test
    void portsComeInPortKeyOrderWhateverTheFileOrder() throws Exception {
        HulEnv env = parse("schport=5\nrcvport=1\nsddport=3\n");
        assertEquals(List.of("rcvport", "sddport", "schport"), List.copyOf(env.ports().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> env.ports().put("obsport", 2));
    }

    @Test
    void missingKeysAreLeftOut() throws Exception {
        HulEnv env = parse("rcvport=30000\n");
        assertEquals(Map.of("rcvport", 30000), env.ports());
        assertEquals(Optional.empty(), env.myHostName());
    }

    @Test
    void emptyFileMeansNothingSet() throws Exception {
        HulEnv env = HulEnvReader.parse(new byte[0], "hulenv.cnf");
        assertTrue(env.ports().isEmpty());
        assertEquals(Optional.empty(), env.myHostName());
    }

    @Test
    void emptyValuesMeanNotSet() throws Exception {
        HulEnv env = parse("rcvport=\nobsport =  \t\nmyhostname=   \nsddport=32000\n");
        assertEquals(Map.of("sddport", 32000), env.ports());
        assertEquals(Optional.empty(), env.myHostName());
    }

    @Test
    void keysAreCaseInsensitive() throws Exception {
        HulEnv env = parse("RcvPort=30000\nOBSPORT=31000\nMyHostName=Vip.Example.COM\n");
        assertEquals(Map.of("rcvport", 30000, "obsport", 31000), env.ports());
        assertEquals(Optional.of("Vip.Example.COM"), env.myHostName());
    }

    @Test
    void blanksAroundKeyEqualsAndValueAreAllowed() throws Exception {
        HulEnv env = parse("  rcvport = 30000  \n\tobsport\t=\t31000\t\nsddport=\t 32000\nmyhostname =  vip  \n");
        assertEquals(Map.of("rcvport", 30000, "obsport", 31000, "sddport", 32000), env.ports());
        assertEquals(Optional.of("vip"), env.myHostName());
    }

    @Test
    void commentsAndBlankLinesAndOtherKeysAreIgnored() throws Exception {
        HulEnv env = parse("""
                # HULFT environment
                   # indented comment: rcvport=1
                #rcvport=99999

                \t
                tmpdir=/var/hulft/tmp
                rcvportx=garbage
                rcvport=30000
                logdir = C:\\HULFT Family\\log
                """);
        assertEquals(Map.of("rcvport", 30000), env.ports());
    }

    @Test
    void crlfLineEndsAreRead() throws Exception {
        HulEnv env = parse("# c\r\nrcvport=30000\r\nmyhostname=vip\r\n\r\nobsport=31000");
        assertEquals(Map.of("rcvport", 30000, "obsport", 31000), env.ports());
        assertEquals(Optional.of("vip"), env.myHostName());
    }

    @Test
    void lastLineWithoutNewlineIsRead() throws Exception {
        assertEquals(Map.of("schport", 34000), parse("schport=34000").ports());
    }

    @Test
    void utf8WithBomIsRead() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        out.write("rcvport=30000\n# 日本語のコメント\nmyhostname=vip\n".getBytes(StandardCharsets.UTF_8));
        HulEnv env = HulEnvReader.parse(out.toByteArray(), "hulenv.cnf");
        assertEquals(Map.of("rcvport", 30000), env.ports());
        assertEquals(Optional.of("vip"), env.myHostName());
    }

    @Test
    void cp932FileWithJapaneseCommentsIsRead() throws Exception {
        // 0x5C ("\") is the second byte of "ソ" and "表" in CP932: a trap for naive decoders.
        Path file = dir.resolve("hulenv.cnf");
        Files.write(file, """
                # HULFT環境設定ファイル
                # 受信ポート番号（ソケット）表示
                rcvport=30000\r
                  # 配信ポート
                sddport = 32000
                myhostname=hulft-vip
                """.getBytes(MS932));
        HulEnv env = HulEnvReader.read(file);
        assertEquals(Map.of("rcvport", 30000, "sddport", 32000), env.ports());
        assertEquals(Optional.of("hulft-vip"), env.myHostName());
    }

    @Test
    void japaneseValueOfAnUnrelatedKeyIsIgnored() throws Exception {
        byte[] bytes = "tmpdir=D:\\データ\\tmp\nrcvport=30000\n".getBytes(MS932);
        assertEquals(Map.of("rcvport", 30000), HulEnvReader.parse(bytes, "hulenv.cnf").ports());
    }

    @Test
    void leadingZerosAreStillDecimal() throws Exception {
        assertEquals(Map.of("rcvport", 30000, "obsport", 8), parse("rcvport=030000\nobsport=0008\n").ports());
    }

    @Test
    void portBoundsAreInclusive() throws Exception {
        assertEquals(Map.of("rcvport", 1, "obsport", 65535), parse("rcvport=1\nobsport=65535\n").ports());
    }

    @ParameterizedTest
    @ValueSource(strings = {"30x00", "0", "70000", "65536", "30000 # comment", "-1", "+30000", "3e4", "30 000",
            "0x7530", "30000.0", "999999999999", "00000"})
    void garbledPortIsInvalidNamingLineAndKey(String value) {
        HulEnvException e = invalid("# header\n\nrcvport=" + value + "\n");
        assertEquals("hulenv.cnf line 3: rcvport = \"" + value + "\" is not a port number (1-65535)", e.getMessage());
    }

    @Test
    void garbledPortExampleFromTheBrief() {
        String text = "# 1\n".repeat(11) + "rcvport = 30x00\n";
        HulEnvException e = invalid(text);
        assertEquals("hulenv.cnf line 12: rcvport = \"30x00\" is not a port number (1-65535)", e.getMessage());
    }

    @Test
    void garbledPortNamesTheKeyAsWritten() {
        assertEquals("hulenv.cnf line 1: SchPort = \"abc\" is not a port number (1-65535)",
                invalid("SchPort=abc").getMessage());
    }

    @Test
    void longGarbledValueIsShortenedInTheMessage() {
        String message = invalid("obsport=" + "9".repeat(100)).getMessage();
        assertEquals("hulenv.cnf line 1: obsport = \"" + "9".repeat(40) + "...\" is not a port number (1-65535)", message);
    }

    @Test
    void portKeyWithoutEqualsIsInvalid() {
        assertEquals("hulenv.cnf line 2: rcvport is not followed by '='", invalid("x=1\nrcvport 30000\n").getMessage());
        assertEquals("hulenv.cnf line 1: OBSPORT is not followed by '='", invalid("  OBSPORT\n").getMessage());
        assertEquals("hulenv.cnf line 1: myhostname is not followed by '='", invalid("myhostname vip\n").getMessage());
    }

    @Test
    void portKeyWithExtraWordBeforeEqualsIsInvalid() {
        assertEquals("hulenv.cnf line 1: rcvport is not followed by '='", invalid("rcvport 30000 = 1\n").getMessage());
    }

    @Test
    void otherLineWithoutEqualsIsIgnored() throws Exception {
        assertEquals(Map.of("rcvport", 30000), parse("some free text\nrcvport=30000\n").ports());
    }

    @Test
    void nonAsciiInAPortValueIsInvalid() {
        byte[] bytes = "rcvport=３００００\n".getBytes(MS932); // full-width digits
        HulEnvException e = assertThrows(HulEnvException.class, () -> HulEnvReader.parse(bytes, "hulenv.cnf"));
        assertEquals(Kind.INVALID, e.kind());
        assertEquals("hulenv.cnf line 1: rcvport has a byte that is not printable ASCII in its value (0x82)", e.getMessage());
    }

    @Test
    void nonAsciiKeyIsInvalidBecauseItMightBeOneOfOurs() {
        byte[] bytes = "# ok\nｒcvport=30000\n".getBytes(StandardCharsets.UTF_8); // full-width r
        HulEnvException e = assertThrows(HulEnvException.class, () -> HulEnvReader.parse(bytes, "hulenv.cnf"));
        assertEquals("hulenv.cnf line 2: the key contains a byte that is not printable ASCII (0xEF)", e.getMessage());
    }

    @Test
    void fullWidthEqualsAfterPortKeyIsInvalid() {
        byte[] bytes = "rcvport＝30000\n".getBytes(MS932);
        HulEnvException e = assertThrows(HulEnvException.class, () -> HulEnvReader.parse(bytes, "hulenv.cnf"));
        assertEquals("hulenv.cnf line 1: the key contains a byte that is not printable ASCII (0x81)", e.getMessage());
    }

    @Test
    void controlCharacterInValueIsInvalid() {
        assertEquals("hulenv.cnf line 1: rcvport has a byte that is not printable ASCII in its value (0x00)",
                invalid("rcvport=300\u000000\n").getMessage());
        assertEquals("hulenv.cnf line 1: rcvport has a byte that is not printable ASCII in its value (0x0D)",
                invalid("rcvport=300\r00\n").getMessage());
    }

    @Test
    void utf16IsRefused() {
        byte[] bytes = "\uFEFFrcvport=30000\n".getBytes(StandardCharsets.UTF_16LE);
        HulEnvException e = assertThrows(HulEnvException.class, () -> HulEnvReader.parse(bytes, "hulenv.cnf"));
        assertEquals(Kind.INVALID, e.kind());
        assertEquals("hulenv.cnf: is UTF-16; expected ASCII, Shift_JIS or UTF-8", e.getMessage());
    }

    @Test
    void hostNameWithBlankOrHashIsInvalid() {
        assertEquals("hulenv.cnf line 1: myhostname = \"vip # primary\" is not a host name",
                invalid("myhostname = vip # primary\n").getMessage());
    }

    @Test
    void samePortTwiceWithSameValueIsFine() throws Exception {
        assertEquals(Map.of("rcvport", 30000), parse("rcvport=30000\nRCVPORT = 030000\n").ports());
    }

    @Test
    void samePortTwiceWithDifferentValuesIsInvalidNamingBothLines() {
        assertEquals("hulenv.cnf lines 2 and 4: rcvport = \"30000\" and RcvPort = \"30001\" differ",
                invalid("# c\nrcvport=30000\nobsport=31000\nRcvPort=30001\n").getMessage());
    }

    @Test
    void setAndEmptyPortDiffer() {
        assertEquals("hulenv.cnf lines 1 and 2: rcvport = \"30000\" and rcvport = \"\" differ",
                invalid("rcvport=30000\nrcvport=\n").getMessage());
    }

    @Test
    void portEmptyTwiceIsFineAndNotSet() throws Exception {
        assertTrue(parse("rcvport=\nrcvport= \n").ports().isEmpty());
    }

    @Test
    void hostNameTwiceDiffersOnlyWhenNotEqualIgnoringCase() throws Exception {
        assertEquals(Optional.of("vip"), parse("myhostname=vip\nMYHOSTNAME=VIP\n").myHostName());
        assertEquals("hulenv.cnf lines 1 and 2: myhostname = \"vip\" and myhostname = \"vip2\" differ",
                invalid("myhostname=vip\nmyhostname=vip2\n").getMessage());
    }

    @Test
    void firstErrorInFileOrderIsReported() {
        assertEquals("hulenv.cnf line 2: obsport = \"x\" is not a port number (1-65535)",
                invalid("rcvport=30000\nobsport=x\nsddport=y\n").getMessage());
    }

    @Test
    void readNamesTheFileByItsPath() throws Exception {
        Path file = dir.resolve("HULFT Family").resolve("hulenv.cnf");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "rcvport=30000\nobsport=bad\n");
        HulEnvException e = assertThrows(HulEnvException.class, () -> HulEnvReader.read(file));
        assertEquals(Kind.INVALID, e.kind());
        assertEquals(file + " line 2: obsport = \"bad\" is not a port number (1-65535)", e.getMessage());
    }

    @Test
    void missingFileIsUnreadable() {
        Path file = dir.resolve("nope.cnf");
        HulEnvException e = assertThrows(HulEnvException.class, () -> HulEnvReader.read(file));
        assertEquals(Kind.UNREADABLE, e.kind());
        assertEquals(file + ": no such file", e.getMessage());
    }

    @Test
    void directoryIsUnreadable() {
        HulEnvException e = assertThrows(HulEnvException.class, () -> HulEnvReader.read(dir));
        assertEquals(Kind.UNREADABLE, e.kind());
        assertEquals(dir + ": is a directory, not a file", e.getMessage());
    }

    @Test
    void fileOverOneMebibyteIsRefusedBeforeReading() throws Exception {
        Path file = dir.resolve("huge.cnf");
        Files.write(file, ("rcvport=30000\n" + "#".repeat(HulEnvReader.MAX_BYTES)).getBytes(StandardCharsets.US_ASCII));
        HulEnvException e = assertThrows(HulEnvException.class, () -> HulEnvReader.read(file));
        assertEquals(Kind.UNREADABLE, e.kind());
        assertEquals(file + ": is larger than 1 MiB (" + Files.size(file) + " bytes)", e.getMessage());
    }

    @Test
    void fileOfExactlyOneMebibyteIsRead() throws Exception {
        Path file = dir.resolve("big.cnf");
        String head = "rcvport=30000\n#";
        Files.write(file, (head + "x".repeat(HulEnvReader.MAX_BYTES - head.length())).getBytes(StandardCharsets.US_ASCII));
        assertEquals(HulEnvReader.MAX_BYTES, Files.size(file));
        assertEquals(Map.of("rcvport", 30000), HulEnvReader.read(file).ports());
    }

    @Test
    void parseRefusesOversizedBytesToo() {
        HulEnvException e = assertThrows(HulEnvException.class,
                () -> HulEnvReader.parse(new byte[HulEnvReader.MAX_BYTES + 1], "hulenv.cnf"));
        assertEquals(Kind.UNREADABLE, e.kind());
        assertEquals("hulenv.cnf: is larger than 1 MiB (1048577 bytes)", e.getMessage());
    }

    @Test
    void unreadableFileSaysWhyInOneLine() throws Exception {
        Path file = dir.resolve("secret.cnf");
        Files.writeString(file, "rcvport=30000\n");
        assumeNotRoot(file);
        HulEnvException e = assertThrows(HulEnvException.class, () -> HulEnvReader.read(file));
        assertEquals(Kind.UNREADABLE, e.kind());
        assertEquals(file + ": access denied", e.getMessage());
    }

    @Test
    void everyMessageIsOneLine() {
        for (String text : List.of("rcvport=x\n", "rcvport\n", "rcvport=1\nrcvport=2\n")) {
            assertEquals(1, invalid(text).getMessage().lines().count(), text);
        }
    }

    @Test
    void testResourceSampleIsRead() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/hulft/hulenv-sample.cnf")) {
            HulEnv env = HulEnvReader.parse(in.readAllBytes(), "hulenv-sample.cnf");
            assertEquals(Map.of("rcvport", 30000, "obsport", 31000, "sddport", 32000, "srvcproport", 33000), env.ports());
            assertEquals(Optional.of("hulft-vip.example.com"), env.myHostName());
        }
    }

    /** Makes the file unreadable; skips the test when that has no effect (running as root). */
    private static void assumeNotRoot(Path file) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(file.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Files.setPosixFilePermissions(file, java.util.Set.of());
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(file), "running as root: permissions do not apply");
    }

    @ParameterizedTest
    @CsvSource({"rcvport,30000", "obsport,31000", "sddport,32000", "srvcproport,33000", "schport,34000"})
    void eachPortKeyIsRead(String key, int port) throws Exception {
        assertEquals(Map.of(key, port), parse(key + "=" + port + "\n").ports());
    }
}
