<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Presence::LoopbackReplyHandler</name>
    <message>
        <location filename="../src/client/loopbackreplyhandler.cpp" line="16"/>
        <source>You can close this page and go back to the app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/loopbackreplyhandler.cpp" line="32"/>
        <location filename="../src/client/loopbackreplyhandler.cpp" line="33"/>
        <source>the identity provider refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/loopbackreplyhandler.cpp" line="37"/>
        <source>the identity provider answered HTTP %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/loopbackreplyhandler.cpp" line="38"/>
        <source>the identity provider cannot be reached: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Presence::SignIn</name>
    <message>
        <location filename="../src/client/signin.cpp" line="77"/>
        <source>no web browser could be opened to sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="84"/>
        <source>signing in was cancelled or refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="87"/>
        <location filename="../src/client/signin.cpp" line="88"/>
        <source>the identity provider refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="123"/>
        <source>the identity provider cannot be reached: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="129"/>
        <source>%1 is not an OpenID Connect issuer (its configuration names another, or none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="136"/>
        <source>the identity provider&apos;s configuration has no usable sign-in or token endpoint (https only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="150"/>
        <source>cannot listen on loopback for the browser&apos;s answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="170"/>
        <source>the identity provider gave no ID token (is &quot;openid&quot; in the scope?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="194"/>
        <source>the identity provider&apos;s ID token cannot be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="198"/>
        <source>the ID token is from another issuer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="203"/>
        <source>the ID token is for another application</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="207"/>
        <source>the ID token has expired (is this computer&apos;s clock right?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="211"/>
        <source>the ID token is not the answer to this sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="216"/>
        <source>the ID token names nobody</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="220"/>
        <source>a refresh signed in someone else</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="269"/>
        <source>the sign-in has ended; sign in again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="282"/>
        <source>presence refuses the identity provider&apos;s token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="283"/>
        <source>presence refuses the identity provider&apos;s token: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="436"/>
        <source>set the identity provider (an https URL) and the application&apos;s client id first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/client/signin.cpp" line="502"/>
        <source>the sign-in has expired; sign in again</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
