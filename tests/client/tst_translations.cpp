// Translations: each library's catalog installed for the user's language, English plurals as the
// fallback, and a switch while running; with the client library's real catalog.
#include "signin.h"
#include "translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QRegularExpression>
#include <QTest>
#include <QXmlStreamReader>

using namespace Presence;

class TranslationsTest : public QObject
{
    Q_OBJECT

    static QString unsetSettingsMessage()
    {
        // A SignIn without issuer or client id says why it cannot start, in the catalog's words.
        SignIn signIn;
        signIn.signIn();
        return signIn.errorString();
    }

private Q_SLOTS:
    void everyGermanCatalogIsComplete_data()
    {
        QTest::addColumn<QString>("file");
        const QDir dir(QStringLiteral(PRESENCE_SOURCE_DIR "/translations"));
        const QStringList files = dir.entryList({QStringLiteral("*_de.ts")});
        QCOMPARE(files.size(), 4); // client, Widgets, QML, the app
        for (const QString &file : files)
            QTest::newRow(qPrintable(file)) << dir.filePath(file);
    }
    void everyGermanCatalogIsComplete()
    {
        // Every message translated, every plural form given, every placeholder kept.
        QFETCH(QString, file);
        QFile ts(file);
        QVERIFY(ts.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&ts);
        QString source;
        QStringList translations;
        int messages = 0;
        bool unfinished = false;
        const QRegularExpression placeholder(QStringLiteral("%(\\d|n)"));
        const auto placeholders = [&](const QString &text) {
            QStringList found;
            for (auto it = placeholder.globalMatch(text); it.hasNext();)
                found.append(it.next().captured());
            found.sort();
            return found;
        };
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == QLatin1String("message")) {
                source.clear();
                translations.clear();
                unfinished = false;
            } else if (xml.isStartElement() && xml.name() == QLatin1String("source")) {
                source = xml.readElementText();
            } else if (xml.isStartElement() && xml.name() == QLatin1String("translation")) {
                unfinished = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
                if (xml.readNext() == QXmlStreamReader::Characters && !xml.isWhitespace())
                    translations.append(xml.text().toString());
            } else if (xml.isStartElement() && xml.name() == QLatin1String("numerusform")) {
                translations.append(xml.readElementText());
            } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
                ++messages;
                QVERIFY2(!unfinished && !translations.isEmpty(), qPrintable(QStringLiteral("untranslated: ") + source));
                for (const QString &translation : std::as_const(translations)) {
                    QVERIFY2(!translation.trimmed().isEmpty(), qPrintable(QStringLiteral("empty: ") + source));
                    QVERIFY2(placeholders(translation) == placeholders(source),
                        qPrintable(source + QStringLiteral(" → ") + translation));
                }
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(messages > 0);
    }

    void theClientLibraryInstalledItsCatalogAtStart()
    {
        // No language set for the test (LANG=C): English, the fallback.
        QCOMPARE(Translations::installedLanguage(QStringLiteral("presence_client")), QStringLiteral("en"));
        QCOMPARE(unsetSettingsMessage(),
            QStringLiteral("set the identity provider (an https URL) and the application's client id first"));
    }

    void germanIsCompleteAndSwitchesWhileRunning()
    {
        Translations::reinstallAll(QLocale(QLocale::German, QLocale::Switzerland));
        QCOMPARE(Translations::installedLanguage(QStringLiteral("presence_client")), QStringLiteral("de"));
        QCOMPARE(unsetSettingsMessage(),
            QStringLiteral("legen Sie zuerst den Identitätsanbieter (eine https-URL) und die Client-ID der "
                           "Anwendung fest"));
        Translations::reinstallAll(QLocale(QLocale::English));
        QCOMPARE(Translations::installedLanguage(QStringLiteral("presence_client")), QStringLiteral("en"));
        QCOMPARE(unsetSettingsMessage(),
            QStringLiteral("set the identity provider (an https URL) and the application's client id first"));
    }

    void anotherLanguageFallsBackToEnglish()
    {
        QVERIFY(Translations::install(QStringLiteral("presence_client"), QLocale(QLocale::Japanese)));
        QCOMPARE(Translations::installedLanguage(QStringLiteral("presence_client")), QStringLiteral("en"));
    }

    void anUnknownCatalogInstallsNothing()
    {
        QVERIFY(!Translations::install(QStringLiteral("no_such_catalog"), QLocale(QLocale::German)));
        QCOMPARE(Translations::installedLanguage(QStringLiteral("no_such_catalog")), QString());
        // The others are untouched, and switching again skips it.
        Translations::reinstallAll(QLocale(QLocale::German));
        QCOMPARE(Translations::installedLanguage(QStringLiteral("presence_client")), QStringLiteral("de"));
        QCOMPARE(Translations::installedLanguage(QStringLiteral("no_such_catalog")), QString());
        Translations::reinstallAll(QLocale(QLocale::English));
    }
};

QTEST_GUILESS_MAIN(TranslationsTest)

#include "tst_translations.moc"
