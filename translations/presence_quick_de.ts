<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Facepile</name>
    <message>
        <location filename="../qml/Facepile.qml" line="49"/>
        <source>Nobody here</source>
        <translation>Niemand hier</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/Facepile.qml" line="58"/>
        <location filename="../qml/Facepile.qml" line="286"/>
        <source>and %n more</source>
        <translation>
            <numerusform>und %n weitere Person</numerusform>
            <numerusform>und %n weitere Personen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/Facepile.qml" line="71"/>
        <source>Away</source>
        <translation>Abwesend</translation>
    </message>
    <message>
        <location filename="../qml/Facepile.qml" line="71"/>
        <source>Online now</source>
        <translation>Jetzt online</translation>
    </message>
    <message>
        <location filename="../qml/Facepile.qml" line="73"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../qml/Facepile.qml" line="76"/>
        <source>Last seen just now</source>
        <translation>Zuletzt gesehen: gerade eben</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/Facepile.qml" line="78"/>
        <source>Last seen %n min ago</source>
        <translation>
            <numerusform>Zuletzt gesehen vor %n Min.</numerusform>
            <numerusform>Zuletzt gesehen vor %n Min.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/Facepile.qml" line="81"/>
        <source>Last seen %n hour(s) ago</source>
        <translation>
            <numerusform>Zuletzt gesehen vor %n Stunde</numerusform>
            <numerusform>Zuletzt gesehen vor %n Stunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/Facepile.qml" line="82"/>
        <source>Last seen %n day(s) ago</source>
        <translation>
            <numerusform>Zuletzt gesehen vor %n Tag</numerusform>
            <numerusform>Zuletzt gesehen vor %n Tagen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/Facepile.qml" line="174"/>
        <source>%n more people</source>
        <translation>
            <numerusform>%n weitere Person</numerusform>
            <numerusform>%n weitere Personen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/Facepile.qml" line="175"/>
        <location filename="../qml/Facepile.qml" line="181"/>
        <source>Show everyone</source>
        <translation>Alle anzeigen</translation>
    </message>
    <message>
        <location filename="../qml/Facepile.qml" line="248"/>
        <source>Everyone here</source>
        <translation>Alle hier</translation>
    </message>
    <message>
        <location filename="../qml/Facepile.qml" line="264"/>
        <source>Here now</source>
        <translation>Jetzt hier</translation>
    </message>
    <message>
        <location filename="../qml/Facepile.qml" line="264"/>
        <source>Recently here</source>
        <translation>Kürzlich hier</translation>
    </message>
</context>
</TS>
