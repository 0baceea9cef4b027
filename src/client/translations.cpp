#include "translations.h"

#include <QCoreApplication>
#include <QHash>
#include <QPointer>
#include <QTranslator>

namespace Presence {

namespace {

struct Installed
{
    QPointer<QTranslator> translator;
    QString language;
};

// The catalogs' compiled translations are resources of their libraries (qt_add_translations).
const QString Directory = QStringLiteral(":/i18n");

QHash<QString, Installed> &installed()
{
    static QHash<QString, Installed> catalogs;
    return catalogs;
}

// The translators are ours, freed as the application ends (whichever library installed last).
void removeAll()
{
    for (Installed &entry : installed()) {
        if (entry.translator)
            QCoreApplication::removeTranslator(entry.translator);
        delete entry.translator;
    }
    installed().clear();
}

} // namespace

bool Translations::install(const QString &catalog, const QLocale &locale)
{
    if (!QCoreApplication::instance())
        return false;
    Installed &entry = installed()[catalog];
    if (entry.translator) {
        QCoreApplication::removeTranslator(entry.translator);
        delete entry.translator;
    }
    entry.language.clear();
    static const bool cleanedUp = (qAddPostRoutine(removeAll), true);
    Q_UNUSED(cleanedUp);
    auto *translator = new QTranslator;
    // The locale's languages in the user's order ("de-CH", "de", ...), then English.
    const bool found = translator->load(locale, catalog, QStringLiteral("_"), Directory)
        || translator->load(catalog + QStringLiteral("_en"), Directory);
    if (!found) {
        delete translator;
        return false;
    }
    QCoreApplication::installTranslator(translator);
    entry.translator = translator;
    entry.language = translator->language().section(QLatin1Char('_'), 0, 0);
    return true;
}

void Translations::reinstallAll(const QLocale &locale)
{
    const QStringList catalogs = installed().keys();
    for (const QString &catalog : catalogs)
        install(catalog, locale);
}

QString Translations::installedLanguage(const QString &catalog)
{
    return installed().value(catalog).language;
}

} // namespace Presence
