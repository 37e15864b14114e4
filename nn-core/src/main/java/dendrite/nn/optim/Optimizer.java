package dendrite.nn.optim;

import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.Scope;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Updates parameters from their gradients, one {@link #step} per mini-batch.
 *
 * <p>A step: count it, clip the gradients (by global norm, then by value, if asked), take the learning
 * rate from the {@link LearningRateSchedule}, and run the backend's fused update kernel on every
 * parameter. Per-parameter state (momentum, Adam's moments) is allocated on the first step and reused.
 *
 * <pre>{@code
 * Optimizer opt = new Adam(1e-3).clipGradNorm(1.0).schedule(Schedules.cosine(500, 10_000, 0.0));
 * opt.step(model.namedParameters());
 * }</pre>
 *
 * <h2>Checkpoints</h2>
 * {@link #state()} names every state tensor {@code <parameter>.<slot>} with PyTorch's slot names
 * ({@code 0.weight.exp_avg}, {@code 0.weight.momentum_buffer}, ...); with {@link #stepCount()} and
 * {@link #epoch()} it is everything needed to resume. To load into a fresh optimizer, call
 * {@link #initializeState} first so the tensors exist, then write them and {@link #setStepCount}.
 */
public abstract class Optimizer {
    private final String[] slotNames;
    private double learningRate;
    private LearningRateSchedule schedule = Schedules.constant();
    /** The schedule's momentum for the step being taken, or NaN when the optimizer's own applies. */
    private double stepMomentum = Double.NaN;
    private float weightDecay;
    private double clipNorm;
    private double clipValue;
    private long steps;
    private int epoch;
    private double lastRate = Double.NaN;
    private final Map<String, Tensor[]> slots = new LinkedHashMap<>();
    private Tensor squaredNorms;
    private Tensor[] squaredNormViews;
    private float[] squaredNormValues = new float[0];
    /** The map the last {@link #step} walked (the model's own, the same every step), and its contents as arrays. */
    private Map<String, Parameter> stepParams;
    private Parameter[] stepParamArray;
    private Tensor[][] stepSlots;
    /** Per parameter name, its own step count (PyTorch's {@code state['step']}), one long in an array. */
    private final Map<String, long[]> parameterSteps = new LinkedHashMap<>();
    private long[][] stepCounters;

    /**
     * Creates an optimizer with no schedule (a constant rate), no weight decay and no clipping.
     *
     * @param learningRate the base learning rate, positive
     * @param slotNames    the per-parameter state tensors, in PyTorch's names (e.g. {@code exp_avg},
     *                     {@code exp_avg_sq}); none for a stateless update
     * @throws IllegalArgumentException if the learning rate is not positive and finite
     */
    protected Optimizer(double learningRate, String... slotNames) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate must be positive, got "
                    + learningRate);
        }
        this.learningRate = learningRate;
        this.slotNames = slotNames.clone();
    }

    /**
     * A short name, e.g. {@code adam}.
     *
     * @return the optimizer's name, lower case, as in logs and checkpoints
     */
    public abstract String name();

    /**
     * Runs the update kernel for one parameter.
     *
     * @param backend     the backend the parameter lives on
     * @param p           the parameter to update in place, its gradient already clipped
     * @param state       this parameter's slot tensors, in the order of the constructor's slot names
     * @param lr          the learning rate for this step, after the schedule
     * @param weightDecay the weight decay coefficient, 0 for none
     * @param t           this parameter's step number, from 1: the steps that updated it, counted from
     *                    when its state was made (a parameter unfrozen later starts at 1, as in PyTorch)
     */
    protected abstract void update(Backend backend, Parameter p, Tensor[] state, float lr, float weightDecay, long t);

    /**
     * Hyperparameters for logs and checkpoints.
     *
     * @return a new map: {@code name}, {@code learning_rate}, {@code weight_decay}, the clipping limits when
     *         set, {@code schedule}, and what the subclass adds
     */
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name());
        c.put("learning_rate", learningRate);
        c.put("weight_decay", (double) weightDecay);
        if (clipNorm > 0) {
            c.put("clip_grad_norm", clipNorm);
        }
        if (clipValue > 0) {
            c.put("clip_grad_value", clipValue);
        }
        c.put("schedule", schedule.toString());
        return c;
    }

    // ------------------------------------------------------------------ settings

    /**
     * The base learning rate (before the schedule).
     *
     * @return the rate given to the constructor or to {@link #learningRate(double)}
     */
    public double learningRate() {
        return learningRate;
    }

    /**
     * Sets the base learning rate, which the schedule scales from the next step on.
     *
     * @param lr the new base learning rate, positive and finite
     * @return this optimizer, for chaining
     * @throws IllegalArgumentException if {@code lr} is not positive and finite; the rate is then unchanged
     */
    public Optimizer learningRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate must be positive, got " + lr);
        }
        this.learningRate = lr;
        return this;
    }

    /**
     * Weight decay: L2 (added to the gradient) for SGD, Adam, RMSProp, Adagrad, NAdam, RAdam, Adamax and
     * Adadelta, as in PyTorch; decoupled for AdamW.
     *
     * @param wd the decay coefficient, at least 0 (0: none), e.g. 1e-4; PyTorch's {@code weight_decay}
     * @return this optimizer, for chaining
     */
    public Optimizer weightDecay(double wd) {
        requireOff0OrPositive("weight decay", wd);
        this.weightDecay = (float) wd;
        return this;
    }

    /**
     * The weight decay coefficient.
     *
     * @return the coefficient, 0 when there is none
     */
    public float weightDecay() {
        return weightDecay;
    }

    /**
     * Scales all gradients together so their global L2 norm is at most {@code maxNorm} (0: off).
     *
     * @param maxNorm the largest global norm allowed, positive, or 0 to switch clipping off
     * @return this optimizer, for chaining
     */
    public Optimizer clipGradNorm(double maxNorm) {
        requireOff0OrPositive("gradient-norm clip", maxNorm);
        this.clipNorm = maxNorm;
        return this;
    }

    /**
     * Clamps each gradient value into [-v, v] (0: off).
     *
     * @param v the largest absolute gradient value allowed, positive, or 0 to switch clamping off
     * @return this optimizer, for chaining
     */
    public Optimizer clipGradValue(double v) {
        requireOff0OrPositive("gradient-value clip", v);
        this.clipValue = v;
        return this;
    }

    /** A setting that is 0 (off) or a positive finite number; anything else is refused, naming it. */
    final void requireOff0OrPositive(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": " + what + " must be 0 (off) or a positive"
                    + " number, got " + v);
        }
    }

    /** A rate in [0, 1) (Adam's betas, RMSProp's alpha); anything else is refused, naming it. */
    final void requireDecayRate(String what, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": " + what + " must be in [0, 1), got " + v);
        }
    }

    /** An eps that is positive and finite as the float the kernels use (1e-50 would be 0); else refused. */
    final void requireEps(double eps) {
        float f = (float) eps;
        if (!(f > 0) || Float.isInfinite(f)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": eps must be positive and finite (as a float),"
                    + " got " + eps);
        }
    }

    /**
     * Sets the learning-rate schedule (see {@link Schedules}); the default is constant.
     *
     * @param s the schedule that turns the base rate, the step count and the epoch into each step's rate
     * @return this optimizer, for chaining
     * @throws IllegalArgumentException if {@code s} is null; the schedule is then unchanged
     */
    public Optimizer schedule(LearningRateSchedule s) {
        if (s == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": schedule is null; Schedules.constant() is"
                    + " the schedule of no change");
        }
        if (s.setsMomentum()) {
            String why = whyNoScheduledMomentum();
            if (why != null) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": the schedule " + s + " sets the"
                        + " momentum, but " + why);
            }
        }
        this.schedule = s;
        return this;
    }

    /**
     * Whether a schedule may set this optimizer's momentum ({@link LearningRateSchedule#setsMomentum}, as
     * one-cycle's does): SGD and RMSprop built with a momentum, Adam, AdamW, Adamax and RAdam (their beta1).
     *
     * @return {@code true} when {@link #schedule} takes such a schedule, {@code false} when it refuses it
     */
    public final boolean takesScheduledMomentum() {
        return whyNoScheduledMomentum() == null;
    }

    /**
     * Why this optimizer cannot take its momentum from the schedule ({@link LearningRateSchedule#setsMomentum}),
     * or null when it can: then its {@link #update} reads each step's with {@link #momentum(double)}. The
     * default: it has no momentum.
     *
     * @return the reason, in words that follow "but", or {@code null} when the optimizer takes a scheduled momentum
     */
    protected String whyNoScheduledMomentum() {
        return "it has no momentum or beta1 (PyTorch's OneCycleLR refuses it too): use the one-cycle schedule of the"
                + " rate alone, Schedules.oneCycle(totalSteps, pctStart, divFactor, finalDivFactor)";
    }

    /**
     * The momentum (or beta1) of the step being taken: the schedule's when it sets one, else {@code own}.
     *
     * @param own the optimizer's own momentum, as built
     * @return the momentum this step uses
     */
    protected final double momentum(double own) {
        return Double.isNaN(stepMomentum) ? own : stepMomentum;
    }

    /**
     * The learning-rate schedule.
     *
     * @return the schedule in use, {@link Schedules#constant()} unless one was set
     */
    public LearningRateSchedule schedule() {
        return schedule;
    }

    // ------------------------------------------------------------------ progress

    /**
     * Steps taken so far (Adam's t after the last step).
     *
     * @return the number of {@link #step} calls, plus what {@link #setStepCount} restored
     */
    public long stepCount() {
        return steps;
    }

    /**
     * Restores the step count from a checkpoint.
     *
     * @param steps the {@link #stepCount()} saved with the checkpoint, at least 0
     * @throws IllegalArgumentException if {@code steps} is negative; the count is then unchanged
     */
    public void setStepCount(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": step count must be at least 0, got " + steps);
        }
        this.steps = steps;
        for (long[] c : parameterSteps.values()) {
            c[0] = steps;       // a checkpoint without per-parameter counts: every parameter took every step
        }
    }

    /**
     * Each parameter's own step count, by name: the steps that updated it since its state was made.
     * It differs from {@link #stepCount()} for a parameter unfrozen (or added) after training began;
     * Adam's bias correction uses it, as PyTorch's per-parameter {@code state['step']}.
     *
     * @return a new map, in the order the state was made
     */
    public Map<String, Long> parameterSteps() {
        Map<String, Long> out = new LinkedHashMap<>();
        parameterSteps.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }

    /**
     * Restores per-parameter step counts from a checkpoint (after {@link #setStepCount}, which sets
     * every count to the global one). Names without state yet get it when it is made, from 0.
     *
     * @param counts step counts by parameter name, each at least 0
     * @throws IllegalArgumentException if a count is negative or names a parameter without state; nothing is changed then
     */
    public void setParameterSteps(Map<String, Long> counts) {
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0 || !parameterSteps.containsKey(e.getKey())) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": step count " + e.getValue()
                        + " for '" + e.getKey() + "': " + (parameterSteps.containsKey(e.getKey())
                        ? "must be at least 0" : "no state under that name; known: " + parameterSteps.keySet()));
            }
        }
        counts.forEach((k, v) -> parameterSteps.get(k)[0] = v);
    }

    /**
     * The epoch the schedule sees (set by the trainer at the start of each epoch, from 0).
     *
     * @return the current epoch, from 0
     */
    public int epoch() {
        return epoch;
    }

    /**
     * Sets the epoch the schedule sees; the trainer calls it at the start of each epoch.
     *
     * @param epoch the epoch starting, from 0
     * @throws IllegalArgumentException if {@code epoch} is negative; the epoch is then unchanged
     */
    public void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": epoch must be at least 0, got " + epoch);
        }
        this.epoch = epoch;
    }

    /**
     * The learning rate the next step will use.
     *
     * @return the schedule's rate for the base rate, the steps taken and the epoch
     */
    public double currentLearningRate() {
        return schedule.rate(learningRate, steps, epoch);
    }

    /**
     * The learning rate the last step used (NaN before the first).
     *
     * @return the last step's rate, or {@link Double#NaN} before any step
     */
    public double lastLearningRate() {
        return lastRate;
    }

    /**
     * Tells the schedule an epoch ended with this monitored value (for reduce-on-plateau).
     *
     * @param epoch     the epoch that ended, from 0
     * @param monitored the value the schedule watches, e.g. the validation loss
     */
    public void epochEnded(int epoch, double monitored) {
        schedule.onEpochEnd(epoch, monitored);
    }

    // ------------------------------------------------------------------ the step

    /**
     * One update of every parameter from its gradient.
     *
     * @param params the parameters by state-dict name (e.g. {@link dendrite.nn.Sequential#namedParameters()}),
     *               the same map on every step, their gradients filled by the last backward; gradients may be
     *               clipped in place
     * @throws IllegalArgumentException if a parameter's shape differs from that of its state (the state of
     *                                  another model under the same name); nothing is changed then
     */
    public final void step(Map<String, Parameter> params) {
        if (params != stepParams || params.size() != stepParamArray.length) {
            initializeState(params);
            cacheStepOrder(params);
        }
        if (clipNorm > 0) {
            clipByGlobalNorm(params);
        }
        if (clipValue > 0) {
            for (Parameter p : stepParamArray) {
                p.value().backend().clamp(p.grad(), (float) -clipValue, (float) clipValue, p.grad());
            }
        }
        lastRate = currentLearningRate();
        stepMomentum = schedule.setsMomentum() ? schedule.momentum(steps, epoch) : Double.NaN;
        steps++;
        float lr = (float) lastRate;
        for (int i = 0; i < stepParamArray.length; i++) {
            Parameter p = stepParamArray[i];
            update(p.value().backend(), p, stepSlots[i], lr, weightDecay, ++stepCounters[i][0]);
        }
    }

    /**
     * Remembers the parameters of {@code params} and their state in arrays, in the map's order:
     * walking the map on every step allocated its iterator and entry views.
     */
    private void cacheStepOrder(Map<String, Parameter> params) {
        Parameter[] ps = new Parameter[params.size()];
        Tensor[][] ss = new Tensor[ps.length][];
        long[][] counters = new long[ps.length][];
        int i = 0;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            ps[i] = e.getValue();
            counters[i] = parameterSteps.get(e.getKey());
            ss[i++] = slots.get(e.getKey());
        }
        stepParamArray = ps;
        stepSlots = ss;
        stepCounters = counters;
        stepParams = params;
    }

    /**
     * The global norm of all gradients, {@code sqrt(sum_p |g_p|^2)}; if above the limit, every gradient
     * is scaled by {@code limit / norm}, which keeps the update's direction (Pascanu et al. 2013).
     */
    private void clipByGlobalNorm(Map<String, Parameter> params) {
        if (params.isEmpty()) {
            return;   // nothing to clip: a model with every parameter frozen
        }
        Backend be = stepParamArray[0].value().backend();
        if (squaredNorms == null || squaredNormViews.length != params.size()) {
            if (squaredNorms != null) {
                squaredNorms.close();   // unscoped: nothing else frees it, and on a device it is device memory
            }
            squaredNorms = Scope.unscoped(() -> be.allocate(Shape.of(params.size())));
            squaredNormViews = new Tensor[params.size()];
            for (int i = 0; i < squaredNormViews.length; i++) {
                squaredNormViews[i] = squaredNorms.rows(i, i + 1);
            }
        }
        // The parameters in the order step cached (walking the map allocated its iterators every step),
        // and the norms read into an array kept for it.
        for (int i = 0; i < stepParamArray.length; i++) {
            be.reduceAll(ReduceOp.SUM_SQUARES, stepParamArray[i].grad(), squaredNormViews[i]);
        }
        if (squaredNormValues.length != squaredNormViews.length) {
            squaredNormValues = new float[squaredNormViews.length];
        }
        be.read(squaredNorms, squaredNormValues, 0);
        double sum = 0;
        for (float s : squaredNormValues) {
            sum += s;
        }
        double norm = Math.sqrt(sum);
        if (norm > clipNorm) {
            float scale = (float) (clipNorm / (norm + 1e-6));
            for (Parameter p : stepParamArray) {
                be.affine(p.grad(), scale, 0f, p.grad());
            }
        }
    }

    // ------------------------------------------------------------------ state

    /** Per parameter, the working tensors of updates composed from element-wise operations. */
    private final Map<Parameter, Tensor[]> scratch = new java.util.IdentityHashMap<>();

    /**
     * {@code count} working tensors shaped like {@code p}, made on first use and kept: for updates
     * written with the backend's element-wise operations (options its fused kernels lack). Not
     * state: they are not saved, and a steady step allocates nothing through them.
     *
     * @param backend the backend to allocate them on, the parameter's
     * @param p       the parameter they are for; they are kept per parameter (by identity)
     * @param count   how many are needed, at least 0; a call asking for more than {@code p} has gets the ones it
     *                had and new ones after them
     * @return the parameter's working tensors, shaped like it, at least {@code count} of them; their contents are
     *         whatever the last update left
     * @throws IllegalArgumentException if {@code count} is negative
     */
    protected final Tensor[] scratch(Backend backend, Parameter p, int count) {
        if (count < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": scratch tensors: count must be at least 0,"
                    + " got " + count);
        }
        Tensor[] s = scratch.get(p);
        if (s == null || s.length < count) {
            int had = s == null ? 0 : s.length;
            s = s == null ? new Tensor[count] : java.util.Arrays.copyOf(s, count);
            for (int i = had; i < count; i++) {
                s[i] = Scope.unscoped(() -> backend.allocate(p.shape()));
            }
            scratch.put(p, s);
        }
        return s;
    }

    /**
     * Whether {@link #scratch} has been made for {@code p}, i.e. a composed update has run for it.
     *
     * @param p the parameter
     * @return {@code true} once {@link #scratch} was called for it
     */
    protected final boolean hasScratch(Parameter p) {
        return scratch.containsKey(p);
    }

    /**
     * The value slot {@code slot}'s tensors start at (0 unless an optimizer says otherwise, such as
     * Adagrad's {@code initial_accumulator_value}).
     *
     * @param slot the slot's index, in the order of the constructor's slot names
     * @return the value its tensors are filled with when allocated
     */
    protected float initialSlotValue(int slot) {
        return 0f;
    }

    /**
     * Allocates the state tensors of any parameter that has none yet (filled with {@link #initialSlotValue}).
     * State is kept by name: a parameter whose name has none (one unfrozen since the last step, say) gets
     * its own, and the state of names not in {@code params} is kept.
     *
     * @param params the parameters by state-dict name, as {@link #step} will get them
     * @throws IllegalArgumentException if a parameter's shape differs from that of the state kept under its
     *                                  name (the state of another model); nothing is allocated then
     */
    public void initializeState(Map<String, Parameter> params) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Tensor[] s = slots.get(e.getKey());
            Shape shape = e.getValue().shape();
            if (s != null && s.length > 0 && !s[0].shape().equals(shape)) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + e.getKey()
                        + "' has shape " + shape + ", but this optimizer's state for it has shape " + s[0].shape()
                        + " (state of another model?); use a new optimizer");
            }
        }
        stepParams = null;   // perhaps new state tensors: rebuild step's arrays
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            parameterSteps.computeIfAbsent(e.getKey(), k -> new long[1]);
            slots.computeIfAbsent(e.getKey(), k -> {
                Parameter p = e.getValue();
                Tensor[] s = new Tensor[slotNames.length];
                for (int i = 0; i < s.length; i++) {
                    s[i] = Scope.unscoped(() -> p.value().backend().allocate(p.shape()));
                    float start = initialSlotValue(i);
                    if (start != 0f) {
                        p.value().backend().fill(s[i], start);
                    }
                }
                return s;
            });
        }
    }

    /**
     * The live state tensors by name ({@code <parameter>.<slot>}, e.g. {@code 0.weight.exp_avg}),
     * empty before the first step or {@link #initializeState}.
     *
     * @return an unmodifiable map of the live tensors (not copies), parameter by parameter, slot by slot
     */
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor[]> e : slots.entrySet()) {
            for (int i = 0; i < slotNames.length; i++) {
                out.put(e.getKey() + "." + slotNames[i], e.getValue()[i]);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return name() + config();
    }
}
