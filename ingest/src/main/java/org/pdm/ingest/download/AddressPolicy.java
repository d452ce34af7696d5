package org.pdm.ingest.download;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Refuses hosts that resolve to loopback, private, link-local (cloud metadata at 169.254.169.254),
 * multicast, unspecified, carrier-grade NAT or IPv6 unique-local addresses, so that a crafted
 * manifest cannot make the cluster fetch from the user's internal network. Every address a name
 * resolves to must be public. (The HTTP client resolves the name again when it connects; a DNS
 * answer that changes in between is not caught: run downloads where the network itself keeps
 * executors out of internal ranges when that matters.)
 */
public final class AddressPolicy {
  private final boolean allowPrivate;

  public AddressPolicy(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  /** Null when the host may be fetched, otherwise why not. */
  public String refusal(String host) {
    if (host == null || host.isEmpty()) {
      return "no host";
    }
    if (allowPrivate) {
      return null;
    }
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
    } catch (UnknownHostException e) {
      return null; // the client reports it as a connection failure
    }
    for (InetAddress a : all) {
      if (isInternal(a)) {
        return host + " resolves to " + a.getHostAddress() + ", an internal address; "
            + "pdm.ingest.download.allow-private-addresses = true allows it";
      }
    }
    return null;
  }

  public static boolean isInternal(InetAddress a) {
    if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isMulticastAddress()
        || a.isAnyLocalAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xFF;
      int second = b[1] & 0xFF;
      return first == 0 || (first == 100 && second >= 64 && second < 128) || first >= 240;
    }
    if (a instanceof Inet6Address) {
      return (b[0] & 0xFE) == 0xFC; // fc00::/7 unique local
    }
    return false;
  }
}
