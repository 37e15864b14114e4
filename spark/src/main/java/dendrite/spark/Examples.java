package dendrite.spark;

import dendrite.nn.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;

/**
 * Training samples for Spark: from Dendrite's in-memory datasets (to hand to
 * {@code JavaSparkContext.parallelize}) or from a Spark DataFrame's columns, whatever Spark read
 * them from (CSV, Parquet, a table).
 */
public final class Examples {
    private Examples() {
    }

    /**
     * Every sample of {@code data}, in order: its flattened features and its target (the class index
     * for a classification set).
     *
     * @param data a dataset
     * @return one example per sample
     */
    public static List<Example> of(Dataset data) {
        int features = data.sampleSize();
        int targets = data.isClassification() ? 1 : data.targetSize();
        float[] xs = data.features();
        float[] ys = data.targets();
        List<Example> out = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            float[] x = new float[features];
            System.arraycopy(xs, i * features, x, 0, features);
            float[] y = new float[targets];
            System.arraycopy(ys, i * targets, y, 0, targets);
            out.add(new Example(x, y));
        }
        return out;
    }

    /**
     * The samples of a DataFrame: the feature columns side by side (each a number, or an array of
     * numbers such as an image's pixels, flattened in order), and the label column as the target (a
     * class index for a classifier, the value for a regression). Null values are refused naming the
     * column.
     *
     * <pre>{@code
     * Dataset<Row> table = spark.read().option("header", true).option("inferSchema", true).csv("load.csv");
     * JavaRDD<Example> data = Examples.fromRows(table, "label", "cpu", "memory", "network");
     * }</pre>
     *
     * @param rows     the DataFrame
     * @param label    the target column
     * @param features the feature columns, in the order the model reads them
     * @return one example per row
     */
    public static JavaRDD<Example> fromRows(org.apache.spark.sql.Dataset<Row> rows, String label, String... features) {
        String[] columns = new String[features.length + 1];
        System.arraycopy(features, 0, columns, 0, features.length);
        columns[features.length] = label;
        String[] names = columns.clone();
        return rows.selectExpr(quoted(columns)).javaRDD().map(row -> {
            float[] x = values(row, 0, features.length, names);
            float[] y = values(row, features.length, features.length + 1, names);
            return new Example(x, y);
        });
    }

    /**
     * The feature columns of a DataFrame, one array per row as {@link #fromRows} builds them: the input
     * of {@link SparkPredictor#predict}.
     *
     * @param rows     the DataFrame
     * @param features the feature columns, in the order the model reads them
     * @return one feature array per row, in the rows' order
     */
    public static JavaRDD<float[]> features(org.apache.spark.sql.Dataset<Row> rows, String... features) {
        String[] names = features.clone();
        return rows.selectExpr(quoted(features)).javaRDD().map(row -> values(row, 0, names.length, names));
    }

    private static String[] quoted(String[] columns) {
        String[] out = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            out[i] = "`" + columns[i].replace("`", "``") + "`";
        }
        return out;
    }

    /** Columns [from, to) of a row as floats: numbers as one value each, arrays flattened. */
    private static float[] values(Row row, int from, int to, String[] names) {
        int count = 0;
        for (int c = from; c < to; c++) {
            if (row.isNullAt(c)) {
                throw new IllegalArgumentException("column " + names[c] + " is null in row " + row);
            }
            Object v = row.get(c);
            if (v instanceof Number) {
                count++;
            } else if (v instanceof scala.collection.Seq<?> || v instanceof java.util.List<?>) {
                count += row.getList(c).size();
            } else {
                throw new IllegalArgumentException("column " + names[c] + " holds " + v.getClass().getSimpleName()
                        + " values; a feature or label must be a number or an array of numbers");
            }
        }
        float[] out = new float[count];
        int k = 0;
        for (int c = from; c < to; c++) {
            if (row.get(c) instanceof Number n) {
                out[k++] = n.floatValue();
                continue;
            }
            for (Object e : row.getList(c)) {
                if (!(e instanceof Number n)) {
                    throw new IllegalArgumentException("column " + names[c] + " holds " + e + ", not a number");
                }
                out[k++] = n.floatValue();
            }
        }
        return out;
    }
}
