package dendrite.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    private static final String SRC = "test.csv";

    private static Dataset read(CsvReader reader, String csv) throws IOException {
        return reader.read(new StringReader(csv), SRC, "t");
    }

    private static DatasetFormatException refused(CsvReader reader, String csv) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(reader, csv));
        assertTrue(e.getMessage().startsWith(SRC + ": "), e.getMessage());
        return e;
    }

    /**
     * Numbers are read the same whatever the default locale: a decimal point, never a comma (German),
     * and Turkish case rules (dotless i) change neither "NaN"/"INF" detection nor the messages.
     */
    @Test
    void readingDoesNotDependOnTheDefaultLocale() throws IOException {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            for (java.util.Locale l : List.of(java.util.Locale.GERMANY, java.util.Locale.forLanguageTag("tr-TR"),
                    java.util.Locale.forLanguageTag("ar-EG"), java.util.Locale.forLanguageTag("hi-IN-u-nu-deva"))) {
                java.util.Locale.setDefault(l);
                Dataset d = read(new CsvReader().delimiter(';').regressionTargets("y"), "x;y\n1.5;2e3\n-0.25;1\n");
                assertArrayEquals(new float[] {1.5f, -0.25f}, d.features(), l.toString());
                assertArrayEquals(new float[] {2000f, 1f}, d.targets(), l.toString());
                DatasetFormatException comma = refused(new CsvReader().delimiter(';').regressionTargets("y"),
                        "x;y\n1,5;2\n");
                assertTrue(comma.getMessage().contains("not a number: \"1,5\""), comma.getMessage());
                DatasetFormatException inf = refused(new CsvReader().regressionTargets("y"), "x,y\nINF,2\n");
                assertTrue(inf.getMessage().contains("is not finite"), inf.getMessage());
                IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                        () -> new CsvReader().regressionTargets(new String[0]));
                assertEquals("CSV regression targets need at least one column", none.getMessage(), l.toString());
            }
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void integerLabelsByNameAndTheOtherColumnsAsFeatures() throws IOException {
        Dataset d = read(new CsvReader().label("y"), "a,y,b\n1,0,2\n3,2,4.5\n");
        assertArrayEquals(new int[] {2}, d.sampleShape());
        assertArrayEquals(new float[] {1, 2, 3, 4.5f}, d.features());
        assertArrayEquals(new int[] {0, 2}, d.labels());
        assertEquals(3, d.numClasses()); // 0..2, even though class 1 has no sample
    }

    @Test
    void stringLabelsBecomeClassesInSortedOrder() throws IOException {
        Dataset d = read(new CsvReader().label("species"),
                "x,species\n1,virginica\n2,setosa\n3,versicolor\n4,setosa\n");
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
        assertArrayEquals(new int[] {2, 0, 1, 0}, d.labels());
    }

    @Test
    void columnsByIndexWithoutHeader() throws IOException {
        Dataset d = read(new CsvReader().header(false).label(0).features(2, 1), "1,10,20\n0,30,40\n");
        assertArrayEquals(new float[] {20, 10, 40, 30}, d.features());
        assertArrayEquals(new int[] {1, 0}, d.labels());
    }

    @Test
    void oneHotLabelColumns() throws IOException {
        Dataset d = read(new CsvReader().oneHotLabels("cat", "dog", "fox"),
                "w,cat,dog,fox\n0.5,0,1,0\n1.5,0,0,1\n2.5,1,0,0\n");
        assertArrayEquals(new int[] {1, 2, 0}, d.labels());
        assertEquals(List.of("cat", "dog", "fox"), d.classNames());
        assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f}, d.features());
    }

    @Test
    void oneHotRowWithTwoOnesIsRefused() {
        DatasetFormatException e = refused(new CsvReader().oneHotLabels("a", "b"), "x,a,b\n1,1,0\n2,1,1\n");
        assertEquals(3, e.line());
        assertEquals(3, e.column());
    }

    @Test
    void regressionTargets() throws IOException {
        Dataset d = read(new CsvReader().regressionTargets("y1", "y2"), "x,y1,y2\n1,-2.5,3e2\n2,0,1E-1\n");
        assertEquals(0, d.numClasses());
        assertEquals(2, d.targetSize());
        assertArrayEquals(new float[] {-2.5f, 300f, 0f, 0.1f}, d.targets());
    }

    @Test
    void quotedFieldsFollowRfc4180() throws IOException {
        String csv = "\"x, first\",\"label\"\r\n\"1.5\",\"a, \"\"quoted\"\" name\"\r\n2,\"multi\nline\"\r\n";
        Dataset d = read(new CsvReader().label("label"), csv);
        assertEquals(List.of("a, \"quoted\" name", "multi\nline"), d.classNames());
        assertArrayEquals(new float[] {1.5f, 2f}, d.features());
    }

    @Test
    void lineNumbersCountLineBreaksInsideQuotes() {
        DatasetFormatException e = refused(new CsvReader().label("y"), "x,y\n1,\"two\nlines\"\nbad,a\n");
        assertEquals(4, e.line());
        assertEquals(1, e.column());
    }

    @Test
    void missingValueIsRefusedWithLineAndColumn() {
        DatasetFormatException e = refused(new CsvReader().label("y"), "a,b,y\n1,2,0\n3,,1\n");
        assertEquals(3, e.line());
        assertEquals(2, e.column());
        assertTrue(e.getMessage().contains("line 3, column 2 ('b')") && e.getMessage().contains("missing"),
                e.getMessage());
    }

    @Test
    void nonNumericValueIsRefusedWithLineAndColumn() {
        DatasetFormatException e = refused(new CsvReader().label("y"), "a,b,y\n1,2,0\n3,abc,1\n");
        assertEquals(3, e.line());
        assertEquals(2, e.column());
        assertTrue(e.getMessage().contains("not a number: \"abc\""), e.getMessage());
    }

    @Test
    void javaNumberSuffixesAreNotNumbers() {
        // Double.parseDouble("1f") is 1.0, but no CSV means that.
        assertEquals(2, refused(new CsvReader().label("y"), "a,y\n1f,0\n").line());
        refused(new CsvReader().label("y"), "a,y\n0x10,0\n");
    }

    @Test
    void nanAndInfinityAreRefusedNamingTheRow() {
        for (String bad : List.of("NaN", "nan", "Infinity", "-inf")) {
            DatasetFormatException e = refused(new CsvReader().label("y"), "a,y\n1,0\n2,1\n" + bad + ",0\n");
            assertEquals(4, e.line());
            assertTrue(e.getMessage().contains("data row 3") && e.getMessage().contains("not finite"), e.getMessage());
        }
        DatasetFormatException e = refused(new CsvReader().regressionTargets("y"), "a,y\n1,1e39\n");
        assertTrue(e.getMessage().contains("too large for a float"), e.getMessage());
    }

    @Test
    void raggedRowIsRefused() {
        DatasetFormatException e = refused(new CsvReader().label("y"), "a,y\n1,0\n2,1,5\n");
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("3 fields, expected 2"), e.getMessage());
    }

    @Test
    void unclosedQuoteIsRefusedAtTheLineItOpens() {
        DatasetFormatException e = refused(new CsvReader().label("y"), "a,y\n1,0\n2,\"open\n3,1\n");
        assertEquals(3, e.line());
    }

    @Test
    void unknownColumnNameListsTheHeader() {
        DatasetFormatException e = refused(new CsvReader().label("class"), "a,y\n1,0\n");
        assertTrue(e.getMessage().contains("no column named 'class'") && e.getMessage().contains("[a, y]"),
                e.getMessage());
    }

    @Test
    void fractionalOrNegativeLabelsAreRefused() {
        assertTrue(refused(new CsvReader().label("y"), "a,y\n1,0.5\n").getMessage().contains("not a whole number"));
        assertTrue(refused(new CsvReader().label("y"), "a,y\n1,-1\n").getMessage().contains("negative"));
    }

    @Test
    void aHugeFieldIsQuotedAsAShortExcerpt() {
        String huge = "9".repeat(10_000_000);
        for (String csv : List.of("a,y\n" + huge + ",0\n1,1\n",                 // too large for a float
                "a,y\nx" + huge + ",0\n1,1\n",                                  // not a number
                "a,y\n1," + huge + "\n2,1\n",                                   // too large a class index
                huge + ",y\nnot-a-number,0\n1,1\n")) {                          // a huge column name
            DatasetFormatException e = refused(new CsvReader().label("y"), csv);
            assertTrue(e.getMessage().length() < 400, "a short message, not " + e.getMessage().length() + " characters: "
                    + e.getMessage().substring(0, Math.min(200, e.getMessage().length())));
            assertTrue(e.getMessage().contains("(10000000 characters)") || e.getMessage().contains("(10000001 characters)"),
                    e.getMessage());
        }
    }

    @Test
    void aLabelColumnWithThousandsOfClassesIsRefusedNotMadeAHugeConfusionMatrix() {
        StringBuilder names = new StringBuilder("a,y\n");
        StringBuilder numbers = new StringBuilder("a,y\n");
        for (int i = 0; i < 60_000; i++) {
            names.append(i % 7).append(",id-").append(i).append('\n');
            numbers.append(i % 7).append(',').append(i).append('\n');
        }
        DatasetFormatException e = refused(new CsvReader().label("y"), names.toString());
        assertTrue(e.getMessage().contains("60000 distinct values") && e.getMessage().contains("more than 1000 classes"),
                e.getMessage());
        e = refused(new CsvReader().label("y"), numbers.toString());
        assertTrue(e.getMessage().contains("too large for a class index (at most 1000 classes"), e.getMessage());
    }

    @Test
    void aLabelColumnWithOneValueIsRefused() {
        for (String csv : List.of("a,y\n1,0\n2,0\n3,0\n", "a,y\n1,cat\n2,cat\n")) {
            DatasetFormatException e = refused(new CsvReader().label("y"), csv);
            assertTrue(e.getMessage().contains("single value") && e.getMessage().contains("at least two classes"),
                    e.getMessage());
        }
    }

    @Test
    void oneValueIsFineWhenTheClassNamesAreGiven() throws IOException {
        // A test file may hold one class only; with the names given, the classes are known.
        Dataset d = read(new CsvReader().label("y").classNames(List.of("no", "yes")), "a,y\n1,1\n2,1\n");
        assertEquals(2, d.numClasses());
    }

    @Test
    void aMissingMarkerAmongIntegerLabelsIsRefusedNotMadeAClass() {
        for (String bad : List.of("nan", "NaN", "NA", "null", "inf")) {
            DatasetFormatException e = refused(new CsvReader().label("y"), "a,y\n1,0\n2,1\n3," + bad + "\n4,1\n");
            assertEquals(4, e.line(), e.getMessage());
            assertTrue(e.getMessage().contains("label " + bad) && e.getMessage().contains("whole numbers"),
                    e.getMessage());
        }
    }

    @Test
    void invalidUtf8IsRefusedNamingTheLine() {
        byte[] bytes = "a,y\n1,0\n2,\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> new CsvReader().label("y").read(new ByteArrayInputStream(bytes), SRC, "t"));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        assertEquals(3, e.line());
    }

    @Test
    void byteOrderMarkBlankLinesAndCrLfAreTolerated() throws IOException {
        Dataset d = read(new CsvReader().label("y"), "\uFEFFa,y\r\n\r\n1,0\r\n\n2,1\r\n");
        assertEquals(2, d.size());
        assertArrayEquals(new float[] {1, 2}, d.features());
    }

    @Test
    void gzipFileIsReadAndNamedAfterTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("points.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write("x;label\n1,5;a\n2,5;b\n".replace(",5", ".5").getBytes(StandardCharsets.UTF_8));
        }
        Dataset d = new CsvReader().delimiter(';').label("label").read(f);
        assertEquals("points", d.name());
        assertArrayEquals(new float[] {1.5f, 2.5f}, d.features());
    }

    @Test
    void gzipWithGarbageAfterItIsRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("points.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write("x,label\n1,a\n2,b\n".getBytes(StandardCharsets.UTF_8));
        }
        byte[] gz = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(gz, gz.length + 3));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> new CsvReader().label("label").read(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("unexpected data after the end of"
                + " the gzip data"), e.getMessage());
    }

    /** A read that fails inside gzip data is an I/O error, as it is in plain text: only bad gzip bytes are corrupt. */
    @Test
    void anIoErrorInsideGzipDataStaysAnIoError() throws IOException {
        var gz = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write("x,label\n1,a\n2,b\n".getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = gz.toByteArray();
        java.io.InputStream failing = new java.io.InputStream() {
            private int at;

            @Override
            public int read() throws IOException {
                if (at == 12) {   // past the gzip header
                    throw new IOException("the disk went away");
                }
                return bytes[at++] & 0xFF;
            }
        };
        IOException e = assertThrows(IOException.class, () -> new CsvReader().label("label").read(failing, SRC, "t"));
        assertEquals(IOException.class, e.getClass(), "not a DatasetFormatException: " + e);
        assertEquals("the disk went away", e.getMessage());
    }

    /** Gzip data cut inside its header is corrupt data for the header's reader too, as for read. */
    @Test
    void columnNamesOfTruncatedGzipAreRefusedAsCorrupt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("cut.csv.gz");
        Files.write(f, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0});
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> new CsvReader().columnNames(f));
        assertTrue(e.getMessage().startsWith(f + ": corrupt gzip data: gzip data ends inside the gzip header"),
                e.getMessage());
    }

    @Test
    void noTargetsGivesFeaturesOnly() throws IOException {
        Dataset d = read(new CsvReader().noTargets(), "a,b\n1,2\n");
        assertEquals(0, d.targetSize());
        assertArrayEquals(new float[] {1, 2}, d.features());
    }
}
