package dev.sluice.southbound.channel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every listener callback. */
final class RecordingListener implements SwitchListener {
  final List<SwitchSession> connected = new CopyOnWriteArrayList<>();
  final List<String> disconnected = new CopyOnWriteArrayList<>();
  final List<PortStatus> portStatus = new CopyOnWriteArrayList<>();
  final List<byte[]> packetIns = new CopyOnWriteArrayList<>();
  final List<OpenFlowError> asyncErrors = new CopyOnWriteArrayList<>();
  final List<UnknownMessage> unhandled = new CopyOnWriteArrayList<>();

  @Override
  public void switchConnected(SwitchSession session) {
    connected.add(session);
  }

  @Override
  public void switchDisconnected(SwitchSession session, String reason) {
    disconnected.add(reason);
  }

  @Override
  public void portStatus(SwitchSession session, PortStatus status) {
    portStatus.add(status);
  }

  @Override
  public void packetIn(SwitchSession session, byte[] message) {
    packetIns.add(message);
  }

  @Override
  public void asyncError(SwitchSession session, OpenFlowError error) {
    asyncErrors.add(error);
  }

  @Override
  public void unhandledMessage(SwitchSession session, UnknownMessage message) {
    unhandled.add(message);
  }
}
