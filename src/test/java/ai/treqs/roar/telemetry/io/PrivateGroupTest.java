package ai.treqs.roar.telemetry.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Whether the group whose gid is the user's uid is the user's alone: named as the user, no members, and no other
 * account's primary group (the rule the launcher's {@code private_group_ours} also applies).
 */
class PrivateGroupTest {
    private static final String PASSWD = "root:x:0:0:root:/root:/bin/bash\nvic:x:1003:1003::/home/vic:/bin/bash\n"
            + "att:x:1004:1004::/home/att:/bin/bash\n";
    private static final String GROUP = "root:x:0:\nvic:x:1003:\natt:x:1004:\n";

    @Test
    void aGroupNamedAsTheUserWithNobodyElseInItIsTheirs() {
        assertTrue(PrivateGroup.oursAlone(PASSWD, GROUP, 1003));
        // a last line without its newline, colons alone after the gid, and a group of another name are still read
        assertTrue(PrivateGroup.oursAlone(PASSWD.strip(), "root:x:0:\nvic:x:1003::", 1003));
        assertTrue(PrivateGroup.oursAlone(PASSWD, "vic:x:1003", 1003));
    }

    @Test
    void aMemberOrAnotherAccountWithThatPrimaryGroupMakesItShared() {
        assertFalse(PrivateGroup.oursAlone(PASSWD, "root:x:0:\nvic:x:1003:att\n", 1003));
        assertFalse(PrivateGroup.oursAlone(PASSWD, "vic:x:1003:\nalias:x:1003:att\n", 1003), "another group, same gid, a member");
        assertFalse(PrivateGroup.oursAlone(PASSWD, "vic:x:1003: \n", 1003), "a member named by a space is still one");
        assertFalse(PrivateGroup.oursAlone(PASSWD + "other:x:1005:1003::/:/bin/sh\n", GROUP, 1003));
        assertFalse(PrivateGroup.oursAlone(PASSWD + "other:x:1005:01003::/:/bin/sh\n", GROUP, 1003), "leading zeros");
        assertFalse(PrivateGroup.oursAlone(PASSWD, "root:x:0:\nvic:x:0001003:att", 1003), "leading zeros, no newline");
        // the same uid under another name is the same user
        assertTrue(PrivateGroup.oursAlone(PASSWD + "vic2:x:1003:1003::/:/bin/sh\n", GROUP, 1003));
    }

    @Test
    void noGroupOfTheUsersNameWithTheirUidAsGidIsNoPrivateGroup() {
        assertFalse(PrivateGroup.oursAlone(PASSWD, "root:x:0:\nstaff:x:1003:\n", 1003), "not named as the user");
        assertFalse(PrivateGroup.oursAlone(PASSWD, "root:x:0:\nvic:x:1004:\n", 1003), "named as the user, another gid");
        assertFalse(PrivateGroup.oursAlone(PASSWD, "root:x:0:\n", 1003), "only a directory service knows it");
        assertFalse(PrivateGroup.oursAlone("root:x:0:0::/:/bin/sh\n", GROUP, 1003), "no account with that uid");
        assertFalse(PrivateGroup.oursAlone(PASSWD, GROUP + "+:::\n", 1003), "NSS compat: members may come from elsewhere");
        assertFalse(PrivateGroup.oursAlone(PASSWD + "+::::::\n", GROUP, 1003), "NSS compat in passwd");
        assertFalse(PrivateGroup.oursAlone(PASSWD, "vic:x:10x3:\n", 1003), "a gid that is not decimal");
    }

    @Test
    void aLineWhoseNumbersAreNotPlainDigitsMeansNoAsGlibcMayReadThem() {
        // glibc reads " 1003" and "+1003" as 1003: att would be a member, or have it as primary group, at login
        assertFalse(PrivateGroup.oursAlone(PASSWD, GROUP + "evil:x: 1003:att\n", 1003));
        assertFalse(PrivateGroup.oursAlone(PASSWD, GROUP + "evil:x:+1003:att\n", 1003));
        assertFalse(PrivateGroup.oursAlone(PASSWD + "other:x:1005: 1003::/:/bin/sh\n", GROUP, 1003));
        assertFalse(PrivateGroup.oursAlone(PASSWD, GROUP + "broken\n", 1003), "a line without its fields");
        // empty lines and comments are no entries
        assertTrue(PrivateGroup.oursAlone("# accounts\n\n" + PASSWD, "\n# groups\n" + GROUP + "\n", 1003));
    }
}
