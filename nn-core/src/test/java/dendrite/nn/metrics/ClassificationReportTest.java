package dendrite.nn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationReportTest {

    @Test
    void reportMatchesScikitLearnDocumentedOutput() {
        // classification_report([0, 1, 2, 2, 2], [0, 0, 2, 2, 1]) as printed by scikit-learn 1.2
        String expected = """
                              precision    recall  f1-score   support

                           0       0.50      1.00      0.67         1
                           1       0.00      0.00      0.00         1
                           2       1.00      0.67      0.80         3

                    accuracy                           0.60         5
                   macro avg       0.50      0.56      0.49         5
                weighted avg       0.70      0.60      0.61         5
                """;
        ClassificationReport r = ClassificationReport.of(new int[] {0, 1, 2, 2, 2}, new int[] {0, 0, 2, 2, 1}, 3, List.of());
        assertEquals(expected, r.toString());
        assertEquals(0.7, r.weightedPrecision(), 1e-12);
        assertEquals(r.accuracy(), r.weightedRecall(), 1e-12);
    }
}
