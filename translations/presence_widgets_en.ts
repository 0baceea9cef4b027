<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Presence::FacepileWidget</name>
    <message>
        <location filename="../src/widgets/avatarpainter.cpp" line="54"/>
        <source>Away</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/widgets/avatarpainter.cpp" line="54"/>
        <source>Online now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/widgets/avatarpainter.cpp" line="56"/>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/widgets/avatarpainter.cpp" line="59"/>
        <source>Last seen just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/widgets/avatarpainter.cpp" line="61"/>
        <source>Last seen %n min ago</source>
        <translation>
            <numerusform>Last seen %n min ago</numerusform>
            <numerusform>Last seen %n min ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../src/widgets/avatarpainter.cpp" line="64"/>
        <source>Last seen %n hour(s) ago</source>
        <translation>
            <numerusform>Last seen %n hour ago</numerusform>
            <numerusform>Last seen %n hours ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../src/widgets/avatarpainter.cpp" line="65"/>
        <source>Last seen %n day(s) ago</source>
        <translation>
            <numerusform>Last seen %n day ago</numerusform>
            <numerusform>Last seen %n days ago</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../src/widgets/facepilewidget.cpp" line="119"/>
        <source>Nobody here</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/widgets/facepilewidget.cpp" line="127"/>
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Presence::MemberDelegate</name>
    <message>
        <location filename="../src/widgets/memberdelegate.cpp" line="40"/>
        <source>Here now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../src/widgets/memberdelegate.cpp" line="40"/>
        <source>Recently here</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Presence::MemberListPopup</name>
    <message>
        <location filename="../src/widgets/memberlistpopup.cpp" line="22"/>
        <location filename="../src/widgets/memberlistpopup.cpp" line="90"/>
        <source>Everyone here</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/widgets/memberlistpopup.cpp" line="57"/>
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Presence::OverflowButton</name>
    <message>
        <location filename="../src/widgets/overflowbutton.cpp" line="22"/>
        <source>Show everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../src/widgets/overflowbutton.cpp" line="21"/>
        <source>%n more people</source>
        <translation>
            <numerusform>%n more person</numerusform>
            <numerusform>%n more people</numerusform>
        </translation>
    </message>
</context>
</TS>
