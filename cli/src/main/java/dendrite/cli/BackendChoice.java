package dendrite.cli;

import dendrite.tensor.Backend;
import dendrite.tensor.Backends;

/** The {@code --backend} rule shared by the commands: the named one, never a fallback; else the best. */
final class BackendChoice {
    private BackendChoice() {
    }

    /**
     * The backend named (an unknown or unavailable name is an error naming the known ones or the
     * reason), or, with none named, the one {@code -Ddendrite.backend} / {@code DENDRITE_BACKEND}
     * names or the best available.
     */
    static Backend resolve(String name) {
        return name == null || name.isBlank() ? Backends.get() : Backends.get(name);
    }
}
