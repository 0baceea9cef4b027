<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Facepile</name>
    <message>
        <location filename="../qml/Facepile.qml" line="49"/>
        <source>Nobody here</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/Facepile.qml" line="58"/>
        <location filename="../qml/Facepile.qml" line="286"/>
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/Facepile.qml" line="71"/>
        <source>Away</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/Facepile.qml" line="71"/>
        <source>Online now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/Facepile.qml" line="73"/>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/Facepile.qml" line="76"/>
        <source>Last seen just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/Facepile.qml" line="78"/>
        <source>Last seen %n min ago</source>
        <translation>
            <numerusform>Last seen %n min ago</numerusform>
            <numerusform>Last seen %n min ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/Facepile.qml" line="81"/>
        <source>Last seen %n hour(s) ago</source>
        <translation>
            <numerusform>Last seen %n hour ago</numerusform>
            <numerusform>Last seen %n hours ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/Facepile.qml" line="82"/>
        <source>Last seen %n day(s) ago</source>
        <translation>
            <numerusform>Last seen %n day ago</numerusform>
            <numerusform>Last seen %n days ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/Facepile.qml" line="174"/>
        <source>%n more people</source>
        <translation>
            <numerusform>%n more person</numerusform>
            <numerusform>%n more people</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/Facepile.qml" line="175"/>
        <location filename="../qml/Facepile.qml" line="181"/>
        <source>Show everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/Facepile.qml" line="248"/>
        <source>Everyone here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/Facepile.qml" line="264"/>
        <source>Here now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/Facepile.qml" line="264"/>
        <source>Recently here</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
