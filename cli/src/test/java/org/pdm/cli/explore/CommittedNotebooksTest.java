package org.pdm.cli.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.pdm.cli.notebook.ProjectRoot;

/** The notebooks as committed: no outputs (CI executes them), the project's kernel, the jars added first. */
class CommittedNotebooksTest {
  @Test
  void everyNotebookIsCommittedWithoutOutputsOnThePdmKernel() throws IOException {
    List<Path> notebooks;
    try (Stream<Path> files = Files.list(ProjectRoot.find().resolve("notebooks"))) {
      notebooks = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    }
    assertTrue(notebooks.stream().anyMatch(p -> p.getFileName().toString().equals("training.ipynb")), notebooks.toString());
    for (Path nb : notebooks) {
      JsonObject root = JsonParser.parseString(Files.readString(nb)).getAsJsonObject();
      assertEquals("pdm-java", root.getAsJsonObject("metadata").getAsJsonObject("kernelspec").get("name").getAsString(),
          nb + ": kernel");
      boolean first = true;
      for (JsonElement e : root.getAsJsonArray("cells")) {
        JsonObject cell = e.getAsJsonObject();
        if (!cell.get("cell_type").getAsString().equals("code")) {
          continue;
        }
        String source = String.join("", cell.getAsJsonArray("source").asList().stream().map(JsonElement::getAsString).toList());
        assertEquals(0, cell.getAsJsonArray("outputs").size(), nb + ": outputs of " + source);
        assertTrue(cell.get("execution_count").isJsonNull(), nb + ": execution_count of " + source);
        if (first) {
          assertEquals("%jar ../target/jupyter/lib/", source.trim(), nb + ": the first code cell adds the jars");
          first = false;
        }
      }
    }
  }
}
