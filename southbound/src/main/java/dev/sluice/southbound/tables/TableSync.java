package dev.sluice.southbound.tables;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.compiler.flow.TableOp;
import dev.sluice.southbound.channel.BundleResult;
import dev.sluice.southbound.channel.OpenFlowErrorException;
import dev.sluice.southbound.channel.OutgoingMessage;
import dev.sluice.southbound.channel.SwitchPorts;
import dev.sluice.southbound.channel.SwitchSession;
import dev.sluice.southbound.codec.CodecException;
import dev.sluice.southbound.codec.FlowEntry;
import dev.sluice.southbound.codec.FlowMod;
import dev.sluice.southbound.codec.FlowModEncoder;
import dev.sluice.southbound.codec.GroupMod;
import dev.sluice.southbound.codec.GroupModEncoder;
import dev.sluice.southbound.codec.MultipartReplyDecoder;
import dev.sluice.southbound.wire.MessageType;
import dev.sluice.southbound.wire.Multipart;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * Reads a switch's tables and applies {@link TableChanges} to it as one atomic, ordered bundle.
 *
 * <p>The changes are computed by the caller between {@link #read} and {@link #apply} (the full
 * compare, {@link TableChanges#between}) or come from the compiler (tracked changes); the switch's
 * tables change only when the whole bundle is accepted (OVS discards a bundle whose connection
 * drops before the commit), so a switch never passes through a half-written pipeline.
 */
public final class TableSync {
  private TableSync() {}

  /** Reads every flow (all tables) and every group the switch holds. */
  public static CompletableFuture<Installed> read(SwitchSession session) {
    CompletableFuture<List<byte[]>> flows =
        session.multipart(Multipart.FLOW, Multipart::writeAllFlowsRequest);
    CompletableFuture<List<byte[]>> groups = session.multipart(Multipart.GROUP_DESC);
    return flows.thenCombine(
        groups,
        (flowBodies, groupBodies) -> {
          try {
            List<FlowEntry> entries = new ArrayList<>();
            for (byte[] body : flowBodies) {
              entries.addAll(
                  MultipartReplyDecoder.decodeFlowStatsBody(Unpooled.wrappedBuffer(body)));
            }
            List<Group> gs = new ArrayList<>();
            for (byte[] body : groupBodies) {
              gs.addAll(MultipartReplyDecoder.decodeGroupDescBody(Unpooled.wrappedBuffer(body)));
            }
            return new Installed(entries, gs);
          } catch (CodecException e) {
            throw new CompletionException(
                new IllegalStateException(
                    "switch "
                        + session.name()
                        + " sent a table dump Sluice cannot decode: "
                        + e.getMessage(),
                    e));
          }
        });
  }

  /**
   * Sends the changes as one bundle (nothing when they are empty) and completes when the switch has
   * committed it. Fails with the switch's error for the first rejected message, whose context is
   * the flow or group in {@code ovs-ofctl} text.
   */
  public static CompletableFuture<@Nullable BundleResult> apply(
      SwitchSession session, TableChanges changes) {
    if (changes.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return session.bundle(messages(changes, names(session.ports())));
  }

  /**
   * The messages of the changes, one per {@link TableChanges#bundle()} operation and in its order
   * (a rejection's index counts in that list).
   */
  public static List<OutgoingMessage> messages(TableChanges changes, PortNames names) {
    List<TableOp> ops = changes.bundle();
    List<OutgoingMessage> out = new ArrayList<>(ops.size());
    for (TableOp op : ops) {
      out.add(message(op, names));
    }
    return out;
  }

  /** One operation as its flow-mod or group-mod. */
  static OutgoingMessage message(TableOp op, PortNames names) {
    if (op instanceof TableOp.FlowOp f) {
      Flow flow = f.flow();
      FlowMod mod =
          switch (op.command()) {
            case ADD -> FlowMod.add(flow);
            case MODIFY -> FlowMod.modifyStrict(flow);
            case DELETE -> FlowMod.deleteStrict(flow);
          };
      return flowMod(mod, names);
    }
    Group g = ((TableOp.GroupOp) op).group();
    GroupMod mod =
        switch (op.command()) {
          case ADD -> GroupMod.add(g);
          case MODIFY -> GroupMod.modify(g);
          case DELETE -> GroupMod.delete(g);
        };
    return groupMod(mod, names);
  }

  /** Port names of a switch for flow text, as {@code ovs-ofctl} resolves them. */
  public static PortNames names(SwitchPorts ports) {
    return new PortNames() {
      @Override
      public OptionalLong number(String name) {
        return ports
            .byName(name)
            .map(p -> OptionalLong.of(p.number()))
            .orElse(OptionalLong.empty());
      }

      @Override
      public @Nullable String name(long number) {
        return ports.byNumber(number).map(p -> p.name()).orElse(null);
      }
    };
  }

  /** The flow or group text an {@link OpenFlowErrorException} carries as context, if any. */
  public static String describe(Throwable error) {
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  static OutgoingMessage flowMod(FlowMod mod, PortNames names) {
    String context =
        mod.command().name().toLowerCase(java.util.Locale.ROOT) + " " + text(mod.flow(), names);
    return new Encoded(MessageType.FLOW_MOD.code(), context) {
      @Override
      public void encode(ByteBuf out, int xid) {
        FlowModEncoder.encode(out, xid, mod);
      }
    };
  }

  static OutgoingMessage groupMod(GroupMod mod, PortNames names) {
    String context =
        mod.command().name().toLowerCase(java.util.Locale.ROOT)
            + " "
            + FlowText.formatGroup(mod.group(), names);
    return new Encoded(MessageType.GROUP_MOD.code(), context) {
      @Override
      public void encode(ByteBuf out, int xid) {
        GroupModEncoder.encode(out, xid, mod);
      }
    };
  }

  private static String text(Flow f, PortNames names) {
    return FlowText.formatForAdd(f, names, FlowText.Style.OPENFLOW13);
  }

  private abstract static class Encoded implements OutgoingMessage {
    private final int type;
    private final String context;

    Encoded(int type, String context) {
      this.type = type;
      this.context = context;
    }

    @Override
    public int type() {
      return type;
    }

    @Override
    public Object context() {
      return context;
    }

    @Override
    public String toString() {
      return context;
    }
  }
}
