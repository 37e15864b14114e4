// Explore Dendrite in jshell: build a network, look at it, train it, predict.
// Run from the repository root after ./dendrite test (which builds the jars); see README.md.
import dendrite.nn.*;
import dendrite.nn.data.*;
import dendrite.nn.losses.*;
import dendrite.nn.optim.*;
import dendrite.nn.train.*;
import dendrite.tensor.*;

var backend = Backends.get();
var model = Sequential.builder(2).dense(16).relu().dense(2).build(backend, 42);
System.out.print(model.summary());

var data = Synthetic.twoMoons(500, 0.1, 1);
var trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(0.01)).epochs(20).build();
var history = trainer.fit(data);
System.out.printf("accuracy on the training points: %.3f%n", trainer.evaluate(data).accuracy());
System.out.println("classes of (0, 0.5) and (1.5, -0.3): " + java.util.Arrays.toString(model.predictClasses(new float[] {0f, 0.5f, 1.5f, -0.3f}, 2)));
/exit
