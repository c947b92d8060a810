package io.github.bpfmaps.runtime;

import io.github.bpfmaps.errors.BpfException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Several links closed together: what {@link BpfObject#attachAll()} attached, or the per-CPU links
 * of {@link BpfProgram#attachPerfEvent}. {@link #close()} closes every link (the last attached
 * first), detaching every program that is not pinned. Thread-safe; the list never changes.
 */
public final class BpfLinks implements AutoCloseable, Iterable<BpfLink> {
  private final List<BpfLink> links;

  BpfLinks(List<BpfLink> links) {
    this.links = List.copyOf(links);
  }

  /** The links, in the order they were attached. */
  public List<BpfLink> links() {
    return links;
  }

  /** How many links there are. */
  public int size() {
    return links.size();
  }

  /**
   * The first link of the program named {@code program}.
   *
   * @throws BpfException if none of the links is that program's, naming those there are
   */
  public BpfLink link(String program) {
    List<String> names = new ArrayList<>();
    for (BpfLink l : links) {
      if (l.program().equals(program)) {
        return l;
      }
      names.add(l.program());
    }
    throw new BpfException("link", program, 0, "no link of program '" + program + "'; attached: " + names);
  }

  @Override
  public Iterator<BpfLink> iterator() {
    return links.iterator();
  }

  /** Closes every link, the last attached first (one {@code close(2)} or two each). Idempotent; never throws. */
  @Override
  public void close() {
    for (int i = links.size() - 1; i >= 0; i--) {
      links.get(i).close();
    }
  }

  /** Closes {@code links} after a failed attach of several, the last first; never throws. */
  static void closeAll(List<BpfLink> links) {
    for (int i = links.size() - 1; i >= 0; i--) {
      links.get(i).close();
    }
  }

  @Override
  public String toString() {
    return "BpfLinks" + links;
  }
}
