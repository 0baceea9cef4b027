#pragma once

#include "presenceclient_export.h"

#include <QLocale>
#include <QString>

namespace Presence {

/// The Presence libraries' own translations. Each library (client, Widgets, the QML module)
/// installs its catalog for QLocale() as the application starts, as KDE's libraries do, so an
/// app speaks the user's language with no code of its own: German is complete. English is a
/// catalog too, for its plural forms ("1 hour", "3 hours"), and the fallback for any other
/// language.
///
/// \code
/// QLocale::setDefault(QLocale(QLocale::German));
/// Presence::Translations::reinstallAll(QLocale()); // switch while running
/// \endcode
class PRESENCECLIENT_EXPORT Translations
{
public:
    /// Installs the catalog (e.g. "presence_widgets") for `locale`, replacing the one this
    /// catalog had installed. Looks for the locale's UI languages in order, then English.
    /// False if none was found.
    static bool install(const QString &catalog, const QLocale &locale = QLocale());
    /// Installs every catalog installed so far again, for `locale`.
    static void reinstallAll(const QLocale &locale);
    /// The language of the catalog installed for `catalog` ("de", "en"); empty if none.
    static QString installedLanguage(const QString &catalog);
};

} // namespace Presence
