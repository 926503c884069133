package io.hulftark.platform.windows;

import com.sun.jna.platform.win32.Advapi32Util;

import java.util.List;

/**
 * The names of SYSTEM and Administrators on this Windows, from their well-known SIDs: the names are
 * localised ("VORDEFINIERT\Administratoren"), the SIDs are not.
 */
public final class WindowsAccounts {

    public static final String SYSTEM = "S-1-5-18";
    public static final String ADMINISTRATORS = "S-1-5-32-544";

    private WindowsAccounts() {
    }

    public static List<String> systemAndAdministrators() {
        return List.of(Advapi32Util.getAccountBySid(SYSTEM).fqn, Advapi32Util.getAccountBySid(ADMINISTRATORS).fqn);
    }
}
