<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>DocumentWindow</name>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="42"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="44"/>
        <source>&amp;New Window as Another Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="44"/>
        <source>&amp;New Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="50"/>
        <source>&amp;Notify Me When Someone Opens My Documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="60"/>
        <source>Sign &amp;In…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="67"/>
        <source>Sign &amp;Out %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="72"/>
        <source>&amp;Close Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="77"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="123"/>
        <source>You</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="157"/>
        <source>Documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="202"/>
        <source>Online now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="251"/>
        <source>(you)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="270"/>
        <source>Nobody</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="270"/>
        <source>Sign in to see who is online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="290"/>
        <source>Everyone with this document open appears at the top right. Open it as someone else with File ▸ New Window as Another Person, then minimise that window and watch them go.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="291"/>
        <source>Everyone with this document open appears at the top right.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="299"/>
        <source>Write something…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="316"/>
        <source>Set a status…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="325"/>
        <source>Signing in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="326"/>
        <source>Not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="335"/>
        <source>Sign In…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Presence::AppController</name>
    <message>
        <location filename="../src/app/appcontroller.cpp" line="64"/>
        <source>%1 opened %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/app/appcontroller.cpp" line="82"/>
        <source>Connected to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/app/appcontroller.cpp" line="102"/>
        <source>Embedded server · other windows on this machine join at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/app/appcontroller.cpp" line="107"/>
        <source>Embedded server · windows of this process</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/app/appcontroller.cpp" line="121"/>
        <source>Joined the presence-desktop on this machine at %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Presence::TrayIcon</name>
    <message>
        <location filename="../src/app/trayicon.cpp" line="16"/>
        <source>&amp;Notify Me When Someone Opens My Documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/app/trayicon.cpp" line="22"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/app/trayicon.cpp" line="107"/>
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/app/trayicon.cpp" line="108"/>
        <source>Nobody is online</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/app/trayicon.cpp" line="109"/>
        <source>%n online: %1</source>
        <translation>
            <numerusform>%n online: %1</numerusform>
            <numerusform>%n online: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../qml/app/SignInDialog.qml" line="15"/>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/SignInDialog.qml" line="32"/>
        <source>Your organization&apos;s sign-in page opens in your web browser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/SignInDialog.qml" line="36"/>
        <source>Identity provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/SignInDialog.qml" line="46"/>
        <source>Client ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/SignInDialog.qml" line="60"/>
        <source>Continue in your browser…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/SignInDialog.qml" line="68"/>
        <source>Sign In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/SignInDialog.qml" line="74"/>
        <source>Cancel Sign-In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/app/SignInDialog.qml" line="74"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../src/app/main.cpp" line="32"/>
        <source>Documents with a live facepile of who is in them.

By default presence lives in this app (an embedded server, also on loopback so a second presence-desktop on this machine joins the same documents). Use --server to join a team&apos;s presence-server instead, signed in at your organization&apos;s identity provider (--issuer) or with a --token. File &gt; New window as another person (Ctrl+Shift+N) opens the same document as someone else.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="42"/>
        <source>A presence-server URL, e.g. ws://presence.example.com:7390/ws. [env: PRESENCE_SERVER]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="46"/>
        <source>The access token for --server (without it, you sign in). [env: PRESENCE_TOKEN]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="50"/>
        <source>The identity provider to sign in at, e.g. https://auth.example.com (default: the last one used). [env: PRESENCE_ISSUER]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="55"/>
        <source>This app&apos;s client id at the identity provider (default: the last one used, or presence-desktop). [env: PRESENCE_CLIENT_ID]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="60"/>
        <source>The embedded server&apos;s database (default: in the app&apos;s data directory).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="63"/>
        <source>Which demo person the first window is (0-3).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
