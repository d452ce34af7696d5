package org.pdm.model.nn;

import java.util.ArrayList;
import java.util.List;

/** An indexed list of children named "0", "1", ... as in {@code torch.nn.ModuleList}. */
public final class ModuleList<M extends Module> extends Module {
  private final List<M> items = new ArrayList<>();

  /** Appends {@code m} under the next index and returns it. */
  public <T extends M> T add(T m) {
    child(Integer.toString(items.size()), m);
    items.add(m);
    return m;
  }

  public M get(int i) {
    return items.get(i);
  }

  public int size() {
    return items.size();
  }

  public List<M> items() {
    return java.util.Collections.unmodifiableList(items);
  }
}
