<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>DocumentWindow</name>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="42"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="44"/>
        <source>&amp;New Window as Another Person</source>
        <translation>&amp;Neues Fenster als andere Person</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="44"/>
        <source>&amp;New Window</source>
        <translation>&amp;Neues Fenster</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="50"/>
        <source>&amp;Notify Me When Someone Opens My Documents</source>
        <translation>&amp;Benachrichtigen, wenn jemand meine Dokumente öffnet</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="60"/>
        <source>Sign &amp;In…</source>
        <translation>&amp;Anmelden…</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="67"/>
        <source>Sign &amp;Out %1</source>
        <translation>%1 ab&amp;melden</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="72"/>
        <source>&amp;Close Window</source>
        <translation>Fenster &amp;schließen</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="77"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="123"/>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="157"/>
        <source>Documents</source>
        <translation>Dokumente</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="202"/>
        <source>Online now</source>
        <translation>Jetzt online</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="251"/>
        <source>(you)</source>
        <translation>(Sie)</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="270"/>
        <source>Nobody</source>
        <translation>Niemand</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="270"/>
        <source>Sign in to see who is online</source>
        <translation>Melden Sie sich an, um zu sehen, wer online ist</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="290"/>
        <source>Everyone with this document open appears at the top right. Open it as someone else with File ▸ New Window as Another Person, then minimise that window and watch them go.</source>
        <translation>Alle, die dieses Dokument geöffnet haben, erscheinen oben rechts. Öffnen Sie es mit Datei ▸ Neues Fenster als andere Person als jemand anderes, minimieren Sie dann dieses Fenster und sehen Sie zu, wie die Person geht.</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="291"/>
        <source>Everyone with this document open appears at the top right.</source>
        <translation>Alle, die dieses Dokument geöffnet haben, erscheinen oben rechts.</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="299"/>
        <source>Write something…</source>
        <translation>Schreiben Sie etwas…</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="316"/>
        <source>Set a status…</source>
        <translation>Status setzen…</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="325"/>
        <source>Signing in…</source>
        <translation>Anmeldung läuft…</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="326"/>
        <source>Not signed in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <location filename="../qml/app/DocumentWindow.qml" line="335"/>
        <source>Sign In…</source>
        <translation>Anmelden…</translation>
    </message>
</context>
<context>
    <name>Presence::AppController</name>
    <message>
        <location filename="../src/app/appcontroller.cpp" line="64"/>
        <source>%1 opened %2</source>
        <translation>%1 hat %2 geöffnet</translation>
    </message>
    <message>
        <location filename="../src/app/appcontroller.cpp" line="82"/>
        <source>Connected to %1</source>
        <translation>Verbunden mit %1</translation>
    </message>
    <message>
        <location filename="../src/app/appcontroller.cpp" line="102"/>
        <source>Embedded server · other windows on this machine join at %1</source>
        <translation>Eingebetteter Server · andere Fenster auf diesem Rechner verbinden sich über %1</translation>
    </message>
    <message>
        <location filename="../src/app/appcontroller.cpp" line="107"/>
        <source>Embedded server · windows of this process</source>
        <translation>Eingebetteter Server · Fenster dieses Prozesses</translation>
    </message>
    <message>
        <location filename="../src/app/appcontroller.cpp" line="121"/>
        <source>Joined the presence-desktop on this machine at %1</source>
        <translation>Mit presence-desktop auf diesem Rechner verbunden über %1</translation>
    </message>
</context>
<context>
    <name>Presence::TrayIcon</name>
    <message>
        <location filename="../src/app/trayicon.cpp" line="16"/>
        <source>&amp;Notify Me When Someone Opens My Documents</source>
        <translation>&amp;Benachrichtigen, wenn jemand meine Dokumente öffnet</translation>
    </message>
    <message>
        <location filename="../src/app/trayicon.cpp" line="22"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/app/trayicon.cpp" line="107"/>
        <source>and %n more</source>
        <translation>
            <numerusform>und %n weitere Person</numerusform>
            <numerusform>und %n weitere Personen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/app/trayicon.cpp" line="108"/>
        <source>Nobody is online</source>
        <translation>Niemand ist online</translation>
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
        <translation>Anmelden</translation>
    </message>
    <message>
        <location filename="../qml/app/SignInDialog.qml" line="32"/>
        <source>Your organization&apos;s sign-in page opens in your web browser.</source>
        <translation>Die Anmeldeseite Ihrer Organisation öffnet sich in Ihrem Webbrowser.</translation>
    </message>
    <message>
        <location filename="../qml/app/SignInDialog.qml" line="36"/>
        <source>Identity provider</source>
        <translation>Identitätsanbieter</translation>
    </message>
    <message>
        <location filename="../qml/app/SignInDialog.qml" line="46"/>
        <source>Client ID</source>
        <translation>Client-ID</translation>
    </message>
    <message>
        <location filename="../qml/app/SignInDialog.qml" line="60"/>
        <source>Continue in your browser…</source>
        <translation>Weiter in Ihrem Browser…</translation>
    </message>
    <message>
        <location filename="../qml/app/SignInDialog.qml" line="68"/>
        <source>Sign In</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location filename="../qml/app/SignInDialog.qml" line="74"/>
        <source>Cancel Sign-In</source>
        <translation>Anmeldung abbrechen</translation>
    </message>
    <message>
        <location filename="../qml/app/SignInDialog.qml" line="74"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../src/app/main.cpp" line="32"/>
        <source>Documents with a live facepile of who is in them.

By default presence lives in this app (an embedded server, also on loopback so a second presence-desktop on this machine joins the same documents). Use --server to join a team&apos;s presence-server instead, signed in at your organization&apos;s identity provider (--issuer) or with a --token. File &gt; New window as another person (Ctrl+Shift+N) opens the same document as someone else.</source>
        <translation>Dokumente, die live zeigen, wer sie geöffnet hat.

Standardmäßig läuft Presence in dieser App (ein eingebetteter Server, auch über Loopback, sodass ein zweites presence-desktop auf diesem Rechner denselben Dokumenten beitritt). Mit --server treten Sie stattdessen dem presence-server eines Teams bei, angemeldet beim Identitätsanbieter Ihrer Organisation (--issuer) oder mit einem --token. Datei &gt; Neues Fenster als andere Person (Strg+Umschalt+N) öffnet dasselbe Dokument als jemand anderes.</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="42"/>
        <source>A presence-server URL, e.g. ws://presence.example.com:7390/ws. [env: PRESENCE_SERVER]</source>
        <translation>Eine presence-server-URL, z. B. ws://presence.example.com:7390/ws. [Umgebung: PRESENCE_SERVER]</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="46"/>
        <source>The access token for --server (without it, you sign in). [env: PRESENCE_TOKEN]</source>
        <translation>Das Zugriffstoken für --server (ohne es melden Sie sich an). [Umgebung: PRESENCE_TOKEN]</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="50"/>
        <source>The identity provider to sign in at, e.g. https://auth.example.com (default: the last one used). [env: PRESENCE_ISSUER]</source>
        <translation>Der Identitätsanbieter für die Anmeldung, z. B. https://auth.example.com (Standard: der zuletzt verwendete). [Umgebung: PRESENCE_ISSUER]</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="55"/>
        <source>This app&apos;s client id at the identity provider (default: the last one used, or presence-desktop). [env: PRESENCE_CLIENT_ID]</source>
        <translation>Die Client-ID dieser App beim Identitätsanbieter (Standard: die zuletzt verwendete oder presence-desktop). [Umgebung: PRESENCE_CLIENT_ID]</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="60"/>
        <source>The embedded server&apos;s database (default: in the app&apos;s data directory).</source>
        <translation>Die Datenbank des eingebetteten Servers (Standard: im Datenverzeichnis der App).</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="63"/>
        <source>Which demo person the first window is (0-3).</source>
        <translation>Welche Demo-Person das erste Fenster ist (0-3).</translation>
    </message>
</context>
</TS>
