package dev.sluice.compiler.cluster;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An immutable sorted map (natural key order) with structural sharing: {@link #plus} and {@link
 * #minus} return a new map in O(log n), sharing all but one root-to-leaf path with the receiver (a
 * persistent AVL tree). A read-only {@link Map}: iteration is in key order; every mutator of the
 * {@link Map} interface throws.
 *
 * <p>This is what keeps {@link ClusterState#apply} of one object O(log n) instead of a copy of
 * every map of its kind.
 */
final class PersistentSortedMap<K extends Comparable<? super K>, V> extends AbstractMap<K, V> {

  private static final PersistentSortedMap<?, ?> EMPTY = new PersistentSortedMap<>(null);

  private final @Nullable Node<K, V> root;
  private @Nullable Set<Map.Entry<K, V>> entries;

  private PersistentSortedMap(@Nullable Node<K, V> root) {
    this.root = root;
  }

  /** The empty map. */
  @SuppressWarnings("unchecked")
  static <K extends Comparable<? super K>, V> PersistentSortedMap<K, V> empty() {
    return (PersistentSortedMap<K, V>) EMPTY;
  }

  /** This map with {@code key} mapped to {@code value} (the same instance if already so). */
  PersistentSortedMap<K, V> plus(K key, V value) {
    Objects.requireNonNull(key);
    Objects.requireNonNull(value);
    Node<K, V> r = put(root, key, value);
    return r == root ? this : new PersistentSortedMap<>(r);
  }

  /** This map without {@code key} (the same instance if absent). */
  PersistentSortedMap<K, V> minus(K key) {
    Node<K, V> r = remove(root, key);
    return r == root ? this : new PersistentSortedMap<>(r);
  }

  @Override
  public int size() {
    return size(root);
  }

  @Override
  public boolean isEmpty() {
    return root == null;
  }

  @Override
  public @Nullable V get(Object key) {
    Node<K, V> n = find(key);
    return n == null ? null : n.value;
  }

  @Override
  public boolean containsKey(Object key) {
    return find(key) != null;
  }

  @SuppressWarnings("unchecked")
  private @Nullable Node<K, V> find(@Nullable Object key) {
    if (key == null) {
      return null;
    }
    K k;
    try {
      k = (K) key;
      Node<K, V> n = root;
      while (n != null) {
        int c = k.compareTo(n.key);
        if (c == 0) {
          return n;
        }
        n = c < 0 ? n.left : n.right;
      }
    } catch (ClassCastException e) {
      return null;
    }
    return null;
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    Set<Map.Entry<K, V>> e = entries;
    if (e == null) {
      e =
          new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<K, V>> iterator() {
              return new InOrder<>(root);
            }

            @Override
            public int size() {
              return PersistentSortedMap.this.size();
            }
          };
      entries = e;
    }
    return e;
  }

  // ------------------------------------------------------------------ AVL

  private static final class Node<K, V> implements Map.Entry<K, V> {
    final K key;
    final V value;
    final @Nullable Node<K, V> left;
    final @Nullable Node<K, V> right;
    final int height;
    final int size;

    Node(K key, V value, @Nullable Node<K, V> left, @Nullable Node<K, V> right) {
      this.key = key;
      this.value = value;
      this.left = left;
      this.right = right;
      this.height = Math.max(height(left), height(right)) + 1;
      this.size = size(left) + size(right) + 1;
    }

    @Override
    public K getKey() {
      return key;
    }

    @Override
    public V getValue() {
      return value;
    }

    @Override
    public V setValue(V v) {
      throw new UnsupportedOperationException("immutable");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Map.Entry<?, ?> e
          && key.equals(e.getKey())
          && Objects.equals(value, e.getValue());
    }

    @Override
    public int hashCode() {
      return key.hashCode() ^ Objects.hashCode(value);
    }

    @Override
    public String toString() {
      return key + "=" + value;
    }
  }

  private static int height(@Nullable Node<?, ?> n) {
    return n == null ? 0 : n.height;
  }

  private static int size(@Nullable Node<?, ?> n) {
    return n == null ? 0 : n.size;
  }

  private static <K extends Comparable<? super K>, V> Node<K, V> put(
      @Nullable Node<K, V> n, K key, V value) {
    if (n == null) {
      return new Node<>(key, value, null, null);
    }
    int c = key.compareTo(n.key);
    if (c == 0) {
      return n.value == value ? n : new Node<>(key, value, n.left, n.right);
    }
    if (c < 0) {
      Node<K, V> l = put(n.left, key, value);
      return l == n.left ? n : balance(n.key, n.value, l, n.right);
    }
    Node<K, V> r = put(n.right, key, value);
    return r == n.right ? n : balance(n.key, n.value, n.left, r);
  }

  private static <K extends Comparable<? super K>, V> @Nullable Node<K, V> remove(
      @Nullable Node<K, V> n, K key) {
    if (n == null) {
      return null;
    }
    int c = key.compareTo(n.key);
    if (c < 0) {
      Node<K, V> l = remove(n.left, key);
      return l == n.left ? n : balance(n.key, n.value, l, n.right);
    }
    if (c > 0) {
      Node<K, V> r = remove(n.right, key);
      return r == n.right ? n : balance(n.key, n.value, n.left, r);
    }
    if (n.left == null) {
      return n.right;
    }
    if (n.right == null) {
      return n.left;
    }
    Node<K, V> min = n.right;
    while (min.left != null) {
      min = min.left;
    }
    return balance(min.key, min.value, n.left, removeMin(n.right));
  }

  private static <K, V> @Nullable Node<K, V> removeMin(Node<K, V> n) {
    if (n.left == null) {
      return n.right;
    }
    return balance(n.key, n.value, removeMin(n.left), n.right);
  }

  private static <K, V> Node<K, V> balance(
      K key, V value, @Nullable Node<K, V> l, @Nullable Node<K, V> r) {
    int hl = height(l);
    int hr = height(r);
    if (hl > hr + 1) {
      Node<K, V> ll = Objects.requireNonNull(l);
      if (height(ll.left) >= height(ll.right)) {
        return new Node<>(ll.key, ll.value, ll.left, new Node<>(key, value, ll.right, r));
      }
      Node<K, V> lr = Objects.requireNonNull(ll.right);
      return new Node<>(
          lr.key,
          lr.value,
          new Node<>(ll.key, ll.value, ll.left, lr.left),
          new Node<>(key, value, lr.right, r));
    }
    if (hr > hl + 1) {
      Node<K, V> rr = Objects.requireNonNull(r);
      if (height(rr.right) >= height(rr.left)) {
        return new Node<>(rr.key, rr.value, new Node<>(key, value, l, rr.left), rr.right);
      }
      Node<K, V> rl = Objects.requireNonNull(rr.left);
      return new Node<>(
          rl.key,
          rl.value,
          new Node<>(key, value, l, rl.left),
          new Node<>(rr.key, rr.value, rl.right, rr.right));
    }
    return new Node<>(key, value, l, r);
  }

  /** In-order iterator over the nodes (read-only). */
  private static final class InOrder<K, V> implements Iterator<Map.Entry<K, V>> {
    private final ArrayDeque<Node<K, V>> stack = new ArrayDeque<>();

    InOrder(@Nullable Node<K, V> root) {
      pushLeft(root);
    }

    private void pushLeft(@Nullable Node<K, V> n) {
      while (n != null) {
        stack.push(n);
        n = n.left;
      }
    }

    @Override
    public boolean hasNext() {
      return !stack.isEmpty();
    }

    @Override
    public Map.Entry<K, V> next() {
      if (stack.isEmpty()) {
        throw new NoSuchElementException();
      }
      Node<K, V> n = stack.pop();
      pushLeft(n.right);
      return n;
    }
  }
}
