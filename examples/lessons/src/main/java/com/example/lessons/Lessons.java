package com.example.lessons;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one lesson by name, so the jar can be started with {@code java -jar lessons.jar Xor}; without
 * arguments it lists them. {@code run-all.sh} starts each class directly instead.
 */
public final class Lessons {
    private interface Main {
        void run(String[] args) throws Exception;
    }

    private static final Map<String, Main> LESSONS = new LinkedHashMap<>();

    static {
        LESSONS.put("OneNeuron", OneNeuron::main);
        LESSONS.put("Xor", Xor::main);
        LESSONS.put("ServerLoad", ServerLoad::main);
        LESSONS.put("BrokenNetworks", BrokenNetworks::main);
        LESSONS.put("Autoencoder", Autoencoder::main);
        LESSONS.put("DecisionBoundary", DecisionBoundary::main);
        LESSONS.put("CustomLayer", CustomLayer::main);
        LESSONS.put("PicturesInFolders", PicturesInFolders::main);
    }

    private Lessons() {
    }

    public static void main(String[] args) throws Exception {
        Main lesson = args.length == 0 ? null : LESSONS.get(args[0]);
        if (lesson == null) {
            System.err.println("usage: java --add-modules jdk.incubator.vector -jar lessons.jar LESSON [ARGS]");
            System.err.println("lessons: " + String.join(", ", LESSONS.keySet()));
            System.exit(2);
        }
        lesson.run(Arrays.copyOfRange(args, 1, args.length));
    }
}
