package dev.sluice.compiler.flow;

import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An OpenFlow 1.3 action or instruction as {@code ovs-ofctl} shows it. Nicira extension actions
 * (experimenter 0x00002320) are marked with their NXAST subtype. An empty action list is {@code
 * drop}. {@link GotoTable}, when present, must be last: it is an instruction, not an action.
 */
public sealed interface Action {

  /** {@code output:N}, or a reserved port ({@code IN_PORT}, {@code LOCAL}, {@code NORMAL}...). */
  record Output(long port, int maxLen) implements Action {
    /** OFPCML_NO_BUFFER: send the whole packet to the controller. */
    public static final int NO_BUFFER = 0xffff;

    public Output {
      if (port < 0 || port > OfPort.ANY) {
        throw new IllegalArgumentException("port " + port + " is not a 32-bit OpenFlow port");
      }
    }

    public static Output to(long port) {
      return new Output(port, port == OfPort.CONTROLLER ? NO_BUFFER : 0);
    }
  }

  /** NXAST_OUTPUT_REG (15): output to the port number held in a register range. */
  record OutputReg(SubField source) implements Action {}

  /** NXAST_RESUBMIT_TABLE (14): {@code resubmit(,N)} or {@code resubmit(port,N)}. */
  record Resubmit(long inPort, int table) implements Action {
    public Resubmit {
      checkTable(table);
    }

    /** {@code resubmit(,table)}: keep the packet's in_port. */
    public static Resubmit toTable(int table) {
      return new Resubmit(OfPort.IN_PORT, table);
    }
  }

  /** OFPIT_GOTO_TABLE: {@code goto_table:N}. */
  record GotoTable(int table) implements Action {
    public GotoTable {
      checkTable(table);
    }
  }

  /** NXAST_REG_LOAD (7): {@code load:VALUE->DST}; the way Antrea writes registers and fields. */
  record Load(SubField destination, long value) implements Action {
    public Load {
      if (destination.bits() > 64) {
        throw new IllegalArgumentException(
            "load to " + destination + ": at most 64 bits at once (OVS splits wider loads)");
      }
      if (destination.bits() < 64 && (value >>> destination.bits()) != 0) {
        throw new IllegalArgumentException(
            "load:0x"
                + Long.toHexString(value)
                + " does not fit in "
                + destination
                + " ("
                + destination.bits()
                + " bits)");
      }
    }
  }

  /** NXAST_REG_MOVE (6): {@code move:SRC->DST}, both ranges the same width. */
  record Move(SubField source, SubField destination) implements Action {
    public Move {
      if (source.bits() != destination.bits()) {
        throw new IllegalArgumentException(
            "move:" + source + "->" + destination + " copies between ranges of different widths");
      }
    }
  }

  /**
   * OFPAT_SET_FIELD: a whole-field write ({@code set_field:V->field}, and the {@code mod_dl_src},
   * {@code mod_dl_dst}, {@code mod_nw_src}, {@code mod_nw_dst} shorthands). Under OpenFlow 1.3 OVS
   * refuses a masked set_field; partial writes are {@link Load}.
   */
  record SetField(MatchField field, long value) implements Action {
    public SetField {
      if (field.bits() < 64 && (value & ~field.fullMask()) != 0) {
        throw new IllegalArgumentException(
            "set_field:0x" + Long.toHexString(value) + " does not fit in " + field.ovsName());
      }
    }
  }

  /** OFPAT_DEC_NW_TTL. */
  record DecTtl() implements Action {}

  /** OFPAT_GROUP. */
  record GroupAction(long groupId) implements Action {}

  /**
   * NXAST_CONJUNCTION (34): {@code conjunction(id,k/n)}. {@code clause} is 1-based as written; the
   * wire carries it zero-based.
   */
  record Conjunction(long id, int clause, int clauses) implements Action {
    public Conjunction {
      if (clauses < 2 || clauses > 64 || clause < 1 || clause > clauses) {
        throw new IllegalArgumentException(
            "conjunction("
                + id
                + ","
                + clause
                + "/"
                + clauses
                + "): need 1 <= k <= n, 2 <= n <= 64");
      }
      if (id < 0 || id > 0xffffffffL) {
        throw new IllegalArgumentException("conjunction id " + id + " is not 32-bit");
      }
    }
  }

  /**
   * NXAST_CT (35): {@code ct(commit,table=N,zone=Z,nat(...),exec(...))}. {@code table} is -1 for no
   * recirculation (0xff on the wire); the zone is an immediate or a subfield.
   */
  record Ct(
      boolean commit,
      boolean force,
      int table,
      int zone,
      @Nullable SubField zoneSource,
      @Nullable Nat nat,
      List<Action> exec)
      implements Action {
    public Ct {
      if (table != -1) {
        checkTable(table);
      }
      if (zone < 0 || zone > 0xffff) {
        throw new IllegalArgumentException("ct zone " + zone + " is not 16-bit");
      }
      exec = List.copyOf(exec);
      if (!exec.isEmpty() && !commit) {
        // OVS: "CT action requires commit flag" when ct(exec(...)) writes ct_mark/ct_label.
        throw new IllegalArgumentException("ct(exec(...)) needs commit");
      }
      for (Action a : exec) {
        if (!(a instanceof Load) && !(a instanceof SetField) && !(a instanceof Move)) {
          throw new IllegalArgumentException(
              "ct(exec(...)) may only write ct_mark/ct_label, not " + a);
        }
      }
    }

    public static Ct track(int table, int zone) {
      return new Ct(false, false, table, zone, null, null, List.of());
    }
  }

  /**
   * NXAST_NAT (36), only inside {@link Ct}: {@code nat}, {@code nat(src=...)}, {@code
   * nat(dst=IP[-IP][:PORT[-PORT]],persistent,random|hash)}.
   */
  record Nat(
      Kind kind,
      int ipMin,
      int ipMax,
      int portMin,
      int portMax,
      boolean persistent,
      boolean hash,
      boolean random)
      implements Action {
    public enum Kind {
      /** Plain {@code nat}: apply the connection's existing translation. */
      EXISTING,
      SRC,
      DST
    }

    public Nat {
      if (kind == Kind.EXISTING && (ipMin != 0 || portMin != 0)) {
        throw new IllegalArgumentException("nat without src/dst takes no address");
      }
      if (portMin < 0 || portMin > 0xffff || portMax < 0 || portMax > 0xffff) {
        throw new IllegalArgumentException("nat port out of range");
      }
    }

    public static Nat existing() {
      return new Nat(Kind.EXISTING, 0, 0, 0, 0, false, false, false);
    }
  }

  /**
   * An action the decoder could not interpret, kept with its raw bytes (type, length and body) so
   * it can be shown and compared, never dropped silently.
   */
  record Unknown(byte[] bytes) implements Action {
    public Unknown {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Unknown u && java.util.Arrays.equals(bytes, u.bytes);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "unknown(" + HexFormat.of().formatHex(bytes) + ")";
    }
  }

  private static void checkTable(int table) {
    if (table < 0 || table > 254) {
      throw new IllegalArgumentException("table " + table + " is not 0..254");
    }
  }
}
