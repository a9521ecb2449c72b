package dev.sluice.testkit.ovs;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a fresh {@link OvsNode} (dummy datapath) into every test method parameter of that type,
 * and closes it after the test:
 *
 * <pre>{@code
 * @ExtendWith(OvsNodeExtension.class)
 * class SomethingIT {
 *   @Test
 *   void works(OvsNode node) { ... }
 * }
 * }</pre>
 *
 * A missing Open vSwitch makes the test fail, never skip.
 */
public final class OvsNodeExtension implements ParameterResolver, AfterEachCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(OvsNodeExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == OvsNode.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    OvsNode node = OvsNode.start();
    context.getStore(NAMESPACE).put(key(parameter, context), node);
    return node;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    // The store also closes AutoCloseable values; closing here does not depend on that setting
    // (OvsNode.close() is idempotent).
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    context
        .getTestMethod()
        .ifPresent(
            method -> {
              for (int i = 0; i < method.getParameterCount(); i++) {
                OvsNode node = store.remove(context.getUniqueId() + "#" + i, OvsNode.class);
                if (node != null) {
                  node.close();
                }
              }
            });
  }

  private static String key(ParameterContext parameter, ExtensionContext context) {
    return context.getUniqueId() + "#" + parameter.getIndex();
  }
}
