<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Presence::FacepileWidget</name>
    <message>
        <location filename="../src/widgets/avatarpainter.cpp" line="54"/>
        <source>Away</source>
        <translation>Abwesend</translation>
    </message>
    <message>
        <location filename="../src/widgets/avatarpainter.cpp" line="54"/>
        <source>Online now</source>
        <translation>Jetzt online</translation>
    </message>
    <message>
        <location filename="../src/widgets/avatarpainter.cpp" line="56"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../src/widgets/avatarpainter.cpp" line="59"/>
        <source>Last seen just now</source>
        <translation>Zuletzt gesehen: gerade eben</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/widgets/avatarpainter.cpp" line="61"/>
        <source>Last seen %n min ago</source>
        <translation>
            <numerusform>Zuletzt gesehen vor %n Min.</numerusform>
            <numerusform>Zuletzt gesehen vor %n Min.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../src/widgets/avatarpainter.cpp" line="64"/>
        <source>Last seen %n hour(s) ago</source>
        <translation>
            <numerusform>Zuletzt gesehen vor %n Stunde</numerusform>
            <numerusform>Zuletzt gesehen vor %n Stunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../src/widgets/avatarpainter.cpp" line="65"/>
        <source>Last seen %n day(s) ago</source>
        <translation>
            <numerusform>Zuletzt gesehen vor %n Tag</numerusform>
            <numerusform>Zuletzt gesehen vor %n Tagen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/widgets/facepilewidget.cpp" line="119"/>
        <source>Nobody here</source>
        <translation>Niemand hier</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/widgets/facepilewidget.cpp" line="127"/>
        <source>and %n more</source>
        <translation>
            <numerusform>und %n weitere Person</numerusform>
            <numerusform>und %n weitere Personen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Presence::MemberDelegate</name>
    <message>
        <location filename="../src/widgets/memberdelegate.cpp" line="40"/>
        <source>Here now</source>
        <translation>Jetzt hier</translation>
    </message>
    <message>
        <location filename="../src/widgets/memberdelegate.cpp" line="40"/>
        <source>Recently here</source>
        <translation>Kürzlich hier</translation>
    </message>
</context>
<context>
    <name>Presence::MemberListPopup</name>
    <message>
        <location filename="../src/widgets/memberlistpopup.cpp" line="22"/>
        <location filename="../src/widgets/memberlistpopup.cpp" line="90"/>
        <source>Everyone here</source>
        <translation>Alle hier</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/widgets/memberlistpopup.cpp" line="57"/>
        <source>and %n more</source>
        <translation>
            <numerusform>und %n weitere Person</numerusform>
            <numerusform>und %n weitere Personen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Presence::OverflowButton</name>
    <message>
        <location filename="../src/widgets/overflowbutton.cpp" line="22"/>
        <source>Show everyone</source>
        <translation>Alle anzeigen</translation>
    </message>
    <message numerus="yes">
        <location filename="../src/widgets/overflowbutton.cpp" line="21"/>
        <source>%n more people</source>
        <translation>
            <numerusform>%n weitere Person</numerusform>
            <numerusform>%n weitere Personen</numerusform>
        </translation>
    </message>
</context>
</TS>
