package dendrite.cli;

import dendrite.nn.data.ImageFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The pictures {@code predict} reads for a model of images: one file, or every picture under a folder
 * (subfolders included, so a class-per-folder layout works as it is), each read at the model's input
 * size as training read its image folder.
 *
 * @param names each picture's path as the output names it: relative to the folder with {@code /} between
 *              parts, or the file as given
 * @param features the pictures one after another, {@code [channels, height, width]} each
 */
record PictureInput(List<String> names, float[] features) {

    /**
     * Reads {@code input} for a model whose inputs have the shape {@code modelInput}.
     *
     * @throws BadInputException if the model does not take pictures, or the folder holds none
     */
    static PictureInput read(Path input, int[] modelInput, Path modelFile) throws IOException {
        if (modelInput.length != 3 || (modelInput[0] != 1 && modelInput[0] != 3)) {
            throw new BadInputException("model " + modelFile + " takes inputs of shape " + Arrays.toString(modelInput)
                    + ", not pictures ([1 or 3 channels, height, width]); give --input a CSV file of rows");
        }
        List<Path> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(input)) {
            try (Stream<Path> s = Files.walk(input)) {
                s.filter(ImageFolder::isImageFile).map(input::relativize).sorted().forEach(p -> {
                    files.add(input.resolve(p));
                    names.add(p.toString().replace(p.getFileSystem().getSeparator(), "/"));
                });
            }
            if (files.isEmpty()) {
                throw new BadInputException(input + " holds no picture (PNG, JPEG, BMP or GIF), in it or below it");
            }
        } else {
            files.add(input);
            names.add(input.toString());
        }
        int sampleSize = modelInput[0] * modelInput[1] * modelInput[2];
        if ((long) files.size() * sampleSize > Integer.MAX_VALUE - 8) {
            throw new BadInputException(input + ": " + files.size() + " pictures of " + sampleSize
                    + " values do not fit in one array; predict for fewer at a time");
        }
        ImageFolder.Color color = modelInput[0] == 1 ? ImageFolder.Color.GRAYSCALE : ImageFolder.Color.RGB;
        float[] features = new float[files.size() * sampleSize];
        for (int i = 0; i < files.size(); i++) {
            float[] one = ImageFolder.readImage(files.get(i), modelInput[1], modelInput[2], color);
            System.arraycopy(one, 0, features, i * sampleSize, sampleSize);
        }
        return new PictureInput(List.copyOf(names), features);
    }
}
