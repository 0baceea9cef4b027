// This library's catalog, installed as the application starts (Presence::Translations).
#include "translations.h"

#include <QCoreApplication>

// Outside any namespace, as Q_INIT_RESOURCE needs. A library loaded after the application
// started (the QML module, as a plugin) runs its start-up function at once, possibly before
// its resources' own static initialiser: this registers them first.
static void installQuickTranslations()
{
    Q_INIT_RESOURCE(PresenceQuick_translations);
    Presence::Translations::install(QStringLiteral("presence_quick"));
}

Q_COREAPP_STARTUP_FUNCTION(installQuickTranslations)
