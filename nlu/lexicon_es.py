"""Spanish words the rules rely on (Spain and Latin America), accent-folded
the way normalize() folds them: "miércoles" -> "miercoles"."""

WEEKDAYS = {
    "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4,
    "sabado": 5, "domingo": 6,
}

MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6,
    "julio": 7, "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10,
    "noviembre": 11, "diciembre": 12,
}

ORDINAL_WORDS = {
    "primera": 1, "primero": 1, "primer": 1, "segunda": 2, "segundo": 2,
    "tercera": 3, "tercero": 3, "tercer": 3, "cuarta": 4, "cuarto": 4,
    "quinta": 5, "quinto": 5,
}

# Words frequent in Spanish client messages and rare in English ones.
MARKERS = frozenset("""
a el la los las de del que al en un una mi mis me te se lo le por para con
es esta estoy quiero puedo puede podemos podria pueden gracias hola si no
cita citas cancelar cancela cancelo anula anular cambiar cambia mover pasar
pasarla manana tarde noche hoy semana proxima proximo viene pasado dia
lunes martes miercoles jueves viernes sabado domingo favor porfa ahi estare
confirmo confirmado voy llego tarde perdon ayuda hablar persona llamar
mejor otra otro hora horas media cuarto despues antes entre algo nada
ninguna ninguno opcion segunda primera ultima olvidalo mantengo quien cuando
donde como tienen ahorita ahora llamen llamar llama llamame manden envien mensajes mensaje
puedes podria podrian quisiera queria necesito tengo tenia hay hoy ayer tarde temprano llegar llego
cancelala cancelalo cancelame anulala cambiala cambialo pasala pasalo muevela reagendar reprogramar
disculpa disculpe perdon lo siento cuando hora favor gracias buenas buenos dias noches semana
sabado domingo despues antes mediodia ninguna ninguno otra otro mismo misma esa ese este esta eso
sera seria posible verdad bueno dale vale claro listo nada todo todos todas ambas tengo necesito ya mas muy bien buenas buenos tardes noches dias vale claro dale sale
""".split())
