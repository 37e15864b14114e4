package dendrite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The one Python process that runs the PyTorch tests' programs ({@link PyTorch}) runs each as a new
 * process would: torch's global settings and a program's names do not leak into the next, a failing program
 * fails its test with the traceback, and the worker survives both.
 */
class PyTorchWorkerTest {
    @Test
    void eachProgramStartsWithTorchsDefaults() throws Exception {
        PyTorch.runCode("""
                import torch
                torch.set_default_dtype(torch.float64)
                torch.set_grad_enabled(False)
                torch.manual_seed(123)
                leaked = 1
                """);
        String settings = PyTorch.runCode("""
                import torch
                print(torch.get_default_dtype(), torch.is_grad_enabled(), 'leaked' in globals())
                """);
        assertEquals("torch.float32 True False", settings.strip());
    }

    @Test
    void randomNumbersAreAFreshProcesss() throws Exception {
        String seeded = "import torch\ntorch.manual_seed(7)\nprint(torch.rand(4).tolist())\n";
        String unseeded = "import torch\nprint(torch.rand(4).tolist())\n";
        PyTorch.runCode("import torch\ntorch.manual_seed(7)\ntorch.rand(100)\n");
        String inWorker = PyTorch.runCode(seeded);
        String alone;
        System.setProperty("dendrite.pytorch.worker", "false");
        try {
            alone = PyTorch.runCode(seeded);
        } finally {
            System.clearProperty("dendrite.pytorch.worker");
        }
        assertEquals(alone.strip(), inWorker.strip(), "a seeded program");
        // Two new processes start from different seeds; so do two programs in the worker.
        assertNotEquals(PyTorch.runCode(unseeded), PyTorch.runCode(unseeded), "two unseeded programs");
    }

    @Test
    void aFailingProgramFailsWithItsTracebackAndTheWorkerGoesOn() throws Exception {
        AssertionFailedError raised = assertThrows(AssertionFailedError.class,
                () -> PyTorch.runCode("print('before')\nraise ValueError('on purpose')\n"));
        assertTrue(raised.getMessage().contains("before") && raised.getMessage().contains("ValueError: on purpose"),
                raised.getMessage());
        AssertionFailedError exited = assertThrows(AssertionFailedError.class,
                () -> PyTorch.runCode("import sys\nsys.exit(3)\n"));
        assertTrue(exited.getMessage().contains("3"), exited.getMessage());
        assertEquals("still here", PyTorch.runCode("print('still here')").strip());
    }

    @Test
    void nativeWritesToStandardOutputDoNotBreakTheConversation() throws Exception {
        String out = PyTorch.runCode("import os\nos.write(1, b'12 34\\n')\nprint('printed')\n");
        assertEquals("printed", out.strip());
        assertEquals("next", PyTorch.runCode("print('next')").strip());
    }

    @Test
    void scriptsGetTheirArgumentsAndTheirFolderOnThePath() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pytorch-worker-test");
        java.nio.file.Files.writeString(dir.resolve("helper.py"), "GREETING = 'hello'\n");
        java.nio.file.Path script = java.nio.file.Files.writeString(dir.resolve("main.py"),
                "import sys\nfrom helper import GREETING\nif __name__ == '__main__':\n    print(GREETING, sys.argv[1:])\n");
        assertEquals("hello ['a', 'b c']", PyTorch.run(List.of(script.toString(), "a", "b c")).strip());
    }
}
